namespace RouterFunctions.Core.Routing;

/// <summary>Applies a <see cref="RoutingPolicy"/> to an <see cref="Estimate"/>: pure and allocation-free apart from the result.</summary>
public static class PolicySelector
{
    /// <summary>
    /// Returns the index of the chosen model and fills <paramref name="utility"/> (one entry per model).
    /// <paramref name="allowed"/> null means every model. When <see cref="RoutingPolicy.MaxCost"/> leaves nothing,
    /// the cheapest allowed model is chosen: an answer within budget beats no answer. A <see cref="Estimate.Pinned"/> model
    /// is chosen whenever it is allowed and within budget (utilities are still filled, for the decision's candidates).
    /// </summary>
    public static int Choose(Estimate estimate, RoutingPolicy policy, CostScale scale, bool[]? allowed, Span<double> utility)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(policy);
        var n = estimate.Quality.Length;
        var bestQuality = double.NegativeInfinity;
        var cheapest = -1;
        for (var m = 0; m < n; m++)
        {
            utility[m] = estimate.Quality[m] - (policy.CostWeight * scale.Normalize(estimate.Cost[m]));
            if (!IsAllowed(allowed, m))
            {
                continue;
            }

            if (cheapest < 0 || estimate.Cost[m] < estimate.Cost[cheapest])
            {
                cheapest = m;
            }

            if (WithinBudget(estimate, policy, m))
            {
                bestQuality = Math.Max(bestQuality, estimate.Quality[m]);
            }
        }

        if (estimate.Pinned is { } pinned && pinned >= 0 && pinned < n && IsAllowed(allowed, pinned) && WithinBudget(estimate, policy, pinned))
        {
            return pinned;
        }

        var chosen = -1;
        for (var m = 0; m < n; m++)
        {
            if (!IsAllowed(allowed, m) || !WithinBudget(estimate, policy, m))
            {
                continue;
            }

            if (policy.QualityBand is { } band)
            {
                if (estimate.Quality[m] >= bestQuality - band - 1e-12 && (chosen < 0 || estimate.Cost[m] < estimate.Cost[chosen]))
                {
                    chosen = m;
                }
            }
            else if (chosen < 0 || utility[m] > utility[chosen] || (utility[m] == utility[chosen] && estimate.Cost[m] < estimate.Cost[chosen]))
            {
                chosen = m;
            }
        }

        return chosen >= 0 ? chosen : cheapest;
    }

    private static bool IsAllowed(bool[]? allowed, int m) => allowed is null || allowed[m];

    private static bool WithinBudget(Estimate estimate, RoutingPolicy policy, int m) =>
        policy.MaxCost is not { } max || estimate.Cost[m] <= max;
}
