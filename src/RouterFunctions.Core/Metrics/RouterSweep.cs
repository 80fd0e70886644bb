using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Metrics;

/// <summary>One knob setting's result: the cost weight, the (cost, score) point and each query's pick.</summary>
public sealed record SweepPoint(double CostWeight, CurvePoint Point, int[] Picks);

/// <summary>Runs the cost/quality knob over precomputed estimates: the router's curve on a labelled set.</summary>
public static class RouterSweep
{
    /// <summary>Cost weights 0, 1/steps, …, 1.</summary>
    public static double[] CostWeights(int steps = 200) =>
        [.. Enumerable.Range(0, steps + 1).Select(i => (double)i / steps)];

    /// <summary><paramref name="estimates"/> index models in the order of <paramref name="table"/>'s models.</summary>
    public static IReadOnlyList<SweepPoint> Run(
        IReadOnlyList<Estimate> estimates, OutcomeTable table, CostScale scale, IReadOnlyList<double> costWeights)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(costWeights);
        var utility = new double[table.Models.Count];
        var points = new List<SweepPoint>(costWeights.Count);
        foreach (var weight in costWeights)
        {
            var policy = new RoutingPolicy { CostWeight = weight };
            var picks = new int[estimates.Count];
            for (var q = 0; q < estimates.Count; q++)
            {
                picks[q] = PolicySelector.Choose(estimates[q], policy, scale, null, utility);
            }

            points.Add(new SweepPoint(weight, table.Evaluate(picks), picks));
        }

        return points;
    }

    /// <summary>AIQ of a sweep, anchored at the cheapest single model (always reachable by allowing only it).</summary>
    public static double Aiq(IEnumerable<SweepPoint> sweep, Baselines baselines)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        return Metrics.Aiq.Compute(sweep.Select(p => p.Point).Append(baselines.Cheapest), baselines.MinCost, baselines.MaxCost);
    }
}
