using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Metrics;

/// <summary>A router's curve on a labelled set beside the baselines, with the headline numbers of docs/metrics.md.</summary>
public sealed record RouterEvaluation(
    int Queries,
    Baselines Baselines,
    IReadOnlyList<SweepPoint> Sweep,
    double Aiq,
    double BestScore,
    IReadOnlyDictionary<double, double?> CostAt)
{
    /// <summary>RouteLLM's APGR and CPT when the set has exactly two models that score differently; else null.</summary>
    public TwoModelMetrics? TwoModel { get; init; }

    /// <summary>The mean scores reported by default: 0.85, 0.86, 0.875 and the best single model's.</summary>
    public static IReadOnlyList<double> DefaultQualities(Baselines baselines)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        return [0.85, 0.86, 0.875, baselines.BestSingle.Score];
    }

    public static RouterEvaluation Evaluate(
        IReadOnlyList<Estimate> estimates, OutcomeTable table, CostScale scale, IReadOnlyList<double>? qualities = null, int steps = 200)
    {
        ArgumentNullException.ThrowIfNull(table);
        var baselines = Baselines.Compute(table);
        var sweep = RouterSweep.Run(estimates, table, scale, RouterSweep.CostWeights(steps));
        var points = sweep.Select(p => p.Point).ToList();
        var costAt = (qualities ?? DefaultQualities(baselines)).Distinct().ToDictionary(q => q, q => CostAtQuality.Lowest(points, q));
        return new RouterEvaluation(table.Count, baselines, sweep, RouterSweep.Aiq(sweep, baselines), points.Max(p => p.Score), costAt)
        {
            TwoModel = TwoModelMetrics.Compute(table, sweep),
        };
    }

    /// <summary>As above, with targets resolved on this table's baselines (best-0.005 is relative to this set's best single model).</summary>
    public static RouterEvaluation Evaluate(
        IReadOnlyList<Estimate> estimates, OutcomeTable table, CostScale scale, IReadOnlyList<ScoreTarget> targets, int steps = 200)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(targets);
        var baselines = Baselines.Compute(table);
        return Evaluate(estimates, table, scale, [.. targets.Select(t => t.Resolve(baselines))], steps);
    }

    /// <summary>The knob setting that reaches mean score ≥ <paramref name="quality"/> at the lowest cost, or null.</summary>
    public SweepPoint? CheapestReaching(double quality)
    {
        var i = CostAtQuality.CheapestIndex([.. Sweep.Select(p => p.Point)], quality);
        return i < 0 ? null : Sweep[i];
    }
}
