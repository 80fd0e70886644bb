using System.Globalization;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Feedback;

public sealed record RetrainOptions
{
    /// <summary>Share of feedback events (by a hash of their id) held out to compare the candidate with the current profile.</summary>
    public double HeldOutRatio { get; init; } = 0.2;

    /// <summary>Below this many held-out events the comparison means nothing and the current profile is kept.</summary>
    public int MinHeldOut { get; init; } = 10;

    /// <summary>
    /// Clips the inverse-propensity weight of a feedback event (1 / the probability its model was chosen): unclipped,
    /// one explored event among thousands can outweigh them all.
    /// </summary>
    public double MaxPropensityWeight { get; init; } = 10;

}

/// <summary>The candidate, both profiles' held-out scores (1 − Brier: higher is better) and the verdict.</summary>
public sealed record RetrainResult(RoutingProfile Candidate, double CurrentScore, double CandidateScore, int HeldOut, bool Publish, string Why);

/// <summary>
/// Retraining, pure: seed data plus the training share of feedback make a candidate with the current profile's
/// options; both profiles predict the held-out feedback and held-out seed examples; the candidate is published only if
/// it is not worse.
/// </summary>
public static class Retraining
{
    /// <summary>
    /// Feedback as training examples: the decision's embedding with the graded model's outcome. Each gets the group of
    /// its nearest centroid in <paramref name="current"/> as its task, so task-grouped profiles keep their groups.
    /// </summary>
    /// <remarks>
    /// Each example is weighted by the inverse of its decision's propensity, clipped at <paramref name="maxWeight"/>
    /// and normalised to a mean of 1 (so feedback as a whole counts as many queries as it has events): the logged
    /// choices are not a uniform sample, and this corrects for the policy that made them. Feedback that grades a
    /// model other than the chosen one (a client's own comparison) was not chosen by the router: weight 1.
    /// </remarks>
    public static IReadOnlyList<(string EventId, TrainingExample Example)> FeedbackExamples(
        RoutingProfile current, IReadOnlyDictionary<string, DecisionRecord> decisions, IEnumerable<FeedbackEvent> events, double maxWeight = 10)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(events);
        var result = new List<(string, TrainingExample)>();
        foreach (var e in events)
        {
            if (!decisions.TryGetValue(e.RequestId, out var decision) || decision.Embedding.Length != current.Dimensions)
            {
                continue;
            }

            var model = e.Model ?? decision.Model;
            var nearest = KMeans.Nearest(current.Centroids, decision.Embedding, out _);
            var cost = e.Cost ?? (current.IndexOf(model) is var m and >= 0 ? current.Global[m].MeanCost : 0);
            var weight = model == decision.Model ? PropensityWeight(decision.Propensity, maxWeight) : 1;
            result.Add((e.Id, new TrainingExample(
                decision.Embedding,
                new Dictionary<string, ModelOutcome> { [model] = new(e.Score, cost) },
                current.Groups[current.CentroidGroups[nearest]],
                weight)));
        }

        var mean = result.Count == 0 ? 1 : result.Average(r => r.Item2.Weight);
        return mean == 1 ? result : [.. result.Select(r => (r.Item1, r.Item2 with { Weight = r.Item2.Weight / mean }))];
    }

    /// <summary>1 / <paramref name="propensity"/>, at most <paramref name="maxWeight"/> (and 1 for a missing or invalid propensity).</summary>
    public static double PropensityWeight(double propensity, double maxWeight) =>
        propensity is > 0 and <= 1 ? Math.Min(1 / propensity, Math.Max(1, maxWeight)) : 1;

    public static RetrainResult Run(
        RoutingProfile current,
        IReadOnlyList<TrainingExample> seed,
        IReadOnlyList<(string EventId, TrainingExample Example)> feedback,
        RetrainOptions options,
        int version,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(feedback);
        ArgumentNullException.ThrowIfNull(options);
        // Feedback carries the current profile's group names as tasks. That only matches the seed when the profile's
        // groups are the seed's tasks; otherwise (clusters as groups) tasks are dropped so all examples are clustered alike.
        var groupsAreTasks = seed.Count > 0 && seed.All(e => e.Task is { } task && current.Groups.Contains(task));
        TrainingExample Grouped(TrainingExample e) => groupsAreTasks ? e : e with { Task = null };
        var heldOutFeedback = feedback.Where(f => DatasetSplit.ForId(f.EventId, options.HeldOutRatio) == DatasetSplit.Test).Select(f => f.Example).ToList();
        var trainingFeedback = feedback.Where(f => DatasetSplit.ForId(f.EventId, options.HeldOutRatio) == DatasetSplit.Train).Select(f => Grouped(f.Example)).ToList();
        var training = seed.Select(Grouped).Concat(trainingFeedback).ToList();
        var trainingOptions = (current.Training ?? new TrainingOptions { Scorer = current.Scorer }) with { Version = version, CreatedAt = now };

        // Feedback grades only the chosen model, so it cannot show harm done to the others' predictions. The seed
        // examples grade every model: a share of them is held out too, and both comparisons are made with a candidate
        // trained without them (the one published is trained on all). The candidate must predict the held-out feedback
        // at least as well, and gain there at least what it loses on the held-out seed: feedback that says a model got
        // worse than the seed knew (drift) still wins when it is clear, and a small gain bought with the other models'
        // accuracy does not. (The current profile saw the held-out seed examples, which favours it: errs to keeping.)
        var seedHeldOut = seed.Where((_, i) => IsSeedHeldOut(i, options)).ToList();
        var candidate = ProfileTrainer.Train(training, current.Models, current.EmbeddingModelId, trainingOptions) with
        {
            Notes = new Dictionary<string, string>
            {
                ["trainedOn"] = training.Count.ToString(CultureInfo.InvariantCulture),
                ["feedbackEvents"] = (training.Count - seed.Count).ToString(CultureInfo.InvariantCulture),
                ["retrainedFrom"] = current.Version.ToString(CultureInfo.InvariantCulture),
            },
        };

        candidate = WithModesOf(current, candidate);
        var validation = seedHeldOut.Count == 0 || seedHeldOut.Count == seed.Count
            ? candidate
            : WithModesOf(current, ProfileTrainer.Train([.. seed.Where((_, i) => !IsSeedHeldOut(i, options)).Select(Grouped).Concat(trainingFeedback)], current.Models, current.EmbeddingModelId, trainingOptions));
        var currentScore = HeldOutScore(current, heldOutFeedback);
        var candidateScore = HeldOutScore(validation, heldOutFeedback);
        var (currentSeed, candidateSeed) = (HeldOutScore(current, seedHeldOut), HeldOutScore(validation, seedHeldOut));
        var scores = string.Create(CultureInfo.InvariantCulture, $"held-out score {candidateScore:F4} vs {currentScore:F4} on {heldOutFeedback.Count} events");
        var seedScores = seedHeldOut.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", {candidateSeed:F4} vs {currentSeed:F4} on {seedHeldOut.Count} seed examples");
        var (publish, why) = heldOutFeedback.Count < options.MinHeldOut
            ? (false, $"kept: only {heldOutFeedback.Count} held-out feedback events, {options.MinHeldOut} needed to compare")
            : candidateScore < currentScore
                ? (false, $"kept: the candidate is worse, {scores}{seedScores}")
                : seedHeldOut.Count > 0 && !GainsMoreThanItLoses(candidateScore - currentScore, candidateSeed - currentSeed)
                    ? (false, $"kept: the candidate loses more on the seed's every-model grades than it gains on feedback, {scores}{seedScores}")
                    : (true, $"published: {scores}{seedScores}");
        return new RetrainResult(candidate, currentScore, candidateScore, heldOutFeedback.Count, publish, why);
    }

    /// <summary>The seed rule: the gain on held-out feedback at least the loss on held-out seed examples.</summary>
    public static bool GainsMoreThanItLoses(double feedbackGain, double seedGain) => feedbackGain + seedGain >= 0;

    // The per-group fallbacks are cross-validated at training (GroupFallback), too dear to redo per retrain: kept while
    // the groups are the same ones.
    private static RoutingProfile WithModesOf(RoutingProfile current, RoutingProfile candidate) =>
        candidate with { GroupModes = candidate.Groups.SequenceEqual(current.Groups, StringComparer.Ordinal) ? current.GroupModes : null };

    // By position: the seed store keeps its examples in order, so each retrain holds out the same ones.
    private static bool IsSeedHeldOut(int index, RetrainOptions options) =>
        DatasetSplit.ForId(string.Create(CultureInfo.InvariantCulture, $"seed-{index}"), options.HeldOutRatio) == DatasetSplit.Test;

    /// <summary>1 − mean squared error of the predicted quality of the graded model, weighted as the examples are: 1 is perfect.</summary>
    public static double HeldOutScore(RoutingProfile profile, IReadOnlyList<TrainingExample> heldOut)
    {
        ArgumentNullException.ThrowIfNull(heldOut);
        if (heldOut.Count == 0)
        {
            return double.NaN;
        }

        var estimator = new QualityEstimator(profile);
        var error = 0.0;
        var count = 0.0;
        foreach (var example in heldOut)
        {
            var quality = estimator.Estimate(example.Embedding).Quality;
            foreach (var (model, outcome) in example.Outcomes)
            {
                if (profile.IndexOf(model) is var m and >= 0)
                {
                    error += example.Weight * (quality[m] - outcome.Score) * (quality[m] - outcome.Score);
                    count += example.Weight;
                }
            }
        }

        return count == 0 ? double.NaN : 1 - (error / count);
    }
}
