using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Routing;

/// <summary>Routing for one profile version: estimate, guard, apply the policy. Thread-safe and free of I/O.</summary>
public sealed class Router
{
    private readonly QualityEstimator _estimator;
    private readonly int _fallback;

    public Router(RoutingProfile profile)
    {
        _estimator = new QualityEstimator(profile);
        _fallback = ResolveFallback(profile);
    }

    public RoutingProfile Profile => _estimator.Profile;

    /// <summary>Per-model predictions for an embedding, without a policy (e.g. to compare with observed feedback).</summary>
    public Estimate Estimate(ReadOnlySpan<float> embedding) => _estimator.Estimate(embedding);

    /// <summary>Model names not in the profile, so callers can reject them before routing.</summary>
    public IEnumerable<string> UnknownModels(IEnumerable<string> models) => models.Where(m => Profile.IndexOf(m) < 0);

    public RoutingDecision Decide(ReadOnlySpan<float> embedding, RoutingPolicy policy, IReadOnlyCollection<string>? allowedModels = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var estimate = _estimator.Estimate(embedding);
        var allowed = AllowedMask(allowedModels);
        var utility = new double[Profile.Models.Count];
        var chosen = PolicySelector.Choose(estimate, policy, _estimator.CostScale, allowed, utility);
        var outOfDistribution = estimate.NearestDistance > Profile.OodThreshold;
        if (outOfDistribution && (allowed is null || allowed[_fallback]))
        {
            chosen = _fallback;
        }

        var candidates = new List<Candidate>(Profile.Models.Count);
        for (var m = 0; m < Profile.Models.Count; m++)
        {
            if (allowed is null || allowed[m])
            {
                candidates.Add(new Candidate(Profile.Models[m].Name, estimate.Quality[m], estimate.Cost[m], utility[m]));
            }
        }

        candidates.Sort((a, b) => b.Utility.CompareTo(a.Utility));
        return new RoutingDecision(
            Profile.Models[chosen].Name,
            candidates,
            estimate.NearestCluster,
            estimate.Clusters,
            estimate.NearestDistance,
            outOfDistribution,
            Profile.Version);
    }

    /// <summary>Whether any of <paramref name="allowedModels"/> (all models when null or empty) is enabled: <see cref="Decide"/> needs one.</summary>
    public bool AnyEnabled(IReadOnlyCollection<string>? allowedModels) =>
        Profile.Models.Any(m => m.Enabled && (allowedModels is null || allowedModels.Count == 0 || allowedModels.Contains(m.Name)));

    private bool[]? AllowedMask(IReadOnlyCollection<string>? allowedModels)
    {
        var enabledOnly = Profile.Models.Any(m => !m.Enabled);
        if ((allowedModels is null || allowedModels.Count == 0) && !enabledOnly)
        {
            return null;
        }

        var mask = new bool[Profile.Models.Count];
        for (var m = 0; m < mask.Length; m++)
        {
            mask[m] = Profile.Models[m].Enabled && (allowedModels is null || allowedModels.Count == 0 || allowedModels.Contains(Profile.Models[m].Name));
        }

        if (!mask.Contains(true))
        {
            throw new ArgumentException("None of the allowed models is enabled in the profile.", nameof(allowedModels));
        }

        return mask;
    }

    private static int ResolveFallback(RoutingProfile profile)
    {
        if (profile.FallbackModel is { } name && profile.IndexOf(name) is var index and >= 0)
        {
            return index;
        }

        // A model missing from the statistics rows (added after training) has no mean yet, as in QualityEstimator.
        double MeanScore(int m) => m < profile.Global.Count ? profile.Global[m].MeanScore : CellStats.Empty.MeanScore;
        var best = 0;
        for (var m = 1; m < profile.Models.Count; m++)
        {
            if (MeanScore(m) > MeanScore(best))
            {
                best = m;
            }
        }

        return best;
    }
}
