namespace RouterFunctions.Core.Routing;

/// <summary>
/// ε-greedy exploration over a decision's candidates, pure: with probability ε the pick is uniform over the models the
/// request may use (the greedy one included), else it is the greedy pick. Feedback is graded only for the model
/// chosen, so without this a model the greedy policy never picks is never graded again; and because each choice's
/// probability is known, retraining can weight feedback by its inverse (<see cref="Feedback.Retraining"/>).
/// ε-greedy rather than Thompson sampling: its propensities are exact and cheap, where sampling's need a Monte Carlo
/// estimate per request.
/// </summary>
public static class EpsilonGreedy
{
    /// <summary>
    /// The explored decision, or <paramref name="decision"/> with its propensity when the draw keeps the greedy pick.
    /// Models over the policy's <see cref="RoutingPolicy.MaxCost"/> are never explored; an out-of-distribution decision
    /// (the fallback model) is never explored either. <paramref name="draw"/> and <paramref name="pick"/> are uniform
    /// in [0, 1); the caller owns the randomness so runs can be seeded.
    /// </summary>
    public static RoutingDecision Apply(RoutingDecision decision, RoutingPolicy policy, double epsilon, double draw, double pick)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(epsilon, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(epsilon, 1);
        var options = Explorable(decision, policy);
        if (epsilon == 0 || decision.OutOfDistribution || options.Count < 2 || !options.Any(c => c.Model == decision.Model))
        {
            return decision;
        }

        var share = epsilon / options.Count;
        if (draw >= epsilon)
        {
            return decision with { Propensity = 1 - epsilon + share };
        }

        var chosen = options[Math.Min((int)(pick * options.Count), options.Count - 1)];
        if (chosen.Model == decision.Model)
        {
            return decision with { Propensity = 1 - epsilon + share };
        }

        var greedy = options.First(c => c.Model == decision.Model);
        return decision with
        {
            Model = chosen.Model,
            Propensity = share,
            Explored = true,
            ExplorationCost = Math.Max(0, chosen.PredictedCost - greedy.PredictedCost),
        };
    }

    /// <summary>What an explored pick would cost over the greedy one, averaged over the explorable models (for budgets).</summary>
    public static double ExpectedExtraCost(RoutingDecision decision, RoutingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var options = Explorable(decision, policy);
        var greedy = options.FirstOrDefault(c => c.Model == decision.Model);
        return greedy is null || options.Count == 0 ? 0 : options.Average(c => Math.Max(0, c.PredictedCost - greedy.PredictedCost));
    }

    private static List<Candidate> Explorable(RoutingDecision decision, RoutingPolicy policy) =>
        [.. decision.Candidates.Where(c => policy.MaxCost is not { } max || c.PredictedCost <= max || c.Model == decision.Model).OrderBy(c => c.Model, StringComparer.Ordinal)];
}
