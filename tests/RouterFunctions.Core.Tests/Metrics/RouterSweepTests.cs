using RouterFunctions.Core.Metrics;
using RouterFunctions.Core.Routing;
using static RouterFunctions.Core.Tests.Metrics.OutcomeTableTests;

namespace RouterFunctions.Core.Tests.Metrics;

public class RouterSweepTests
{
    private const double Tolerance = 1e-12;

    // Costs 0.001, 0.01, 0.1 sit at 0, 0.5 and 1 on the log scale.
    private static readonly CostScale Scale = new(0.001, 0.1);

    private static readonly double[] Costs = [0.001, 0.01, 0.1];

    // Predictions: q0 favours the dear model strongly, q1 only mildly.
    private static readonly Estimate[] Estimates =
    [
        new([0.5, 0.7, 0.9], Costs, [new ClusterWeight(0, 1)], 0),
        new([0.6, 0.65, 0.7], Costs, [new ClusterWeight(0, 1)], 0),
    ];

    // Actual outcomes differ from the predictions: the sweep must score picks against the table.
    private static OutcomeTable Table() => new(
        ["cheap", "mid", "dear"],
        [
            Row(("cheap", 0, 0.002), ("mid", 1, 0.02), ("dear", 1, 0.2)),
            Row(("cheap", 1, 0.002), ("mid", 1, 0.02), ("dear", 0, 0.2)),
        ]);

    [Fact]
    public void CostWeights_runs_evenly_from_zero_to_one()
    {
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], RouterSweep.CostWeights(4));
        Assert.Equal(201, RouterSweep.CostWeights().Length);
    }

    [Fact]
    public void Run_with_cost_weight_zero_picks_the_best_predicted_quality()
    {
        var point = RouterSweep.Run(Estimates, Table(), Scale, [0]).Single();

        Assert.Equal(0, point.CostWeight);
        Assert.Equal([2, 2], point.Picks);
        Assert.Equal(0.2, point.Point.Cost, Tolerance);
        Assert.Equal(0.5, point.Point.Score, Tolerance);
    }

    [Fact]
    public void Run_with_cost_weight_one_picks_the_cheapest_when_quality_gaps_are_small()
    {
        // Utilities q − 1·scale: q0 [0.5, 0.2, −0.1], q1 [0.6, 0.15, −0.3].
        var point = RouterSweep.Run(Estimates, Table(), Scale, [1]).Single();

        Assert.Equal([0, 0], point.Picks);
        Assert.Equal(new CurvePoint(0.002, 0.5), point.Point);
    }

    [Fact]
    public void Run_with_an_intermediate_weight_routes_each_query_on_its_own_trade_off()
    {
        // Weight 0.25: q0 [0.5, 0.575, 0.65] → dear; q1 [0.6, 0.525, 0.45] → cheap.
        var point = RouterSweep.Run(Estimates, Table(), Scale, [0.25]).Single();

        Assert.Equal([2, 0], point.Picks);
        Assert.Equal((0.2 + 0.002) / 2, point.Point.Cost, Tolerance);
        Assert.Equal(1.0, point.Point.Score, Tolerance);
    }

    [Fact]
    public void Run_returns_one_point_per_weight_in_order()
    {
        var sweep = RouterSweep.Run(Estimates, Table(), Scale, RouterSweep.CostWeights(4));

        Assert.Equal([0, 0.25, 0.5, 0.75, 1], sweep.Select(p => p.CostWeight));
    }

    [Fact]
    public void Aiq_anchors_the_curve_at_the_cheapest_single_model()
    {
        // Singles a (1, 0.5) and b (3, 1). A sweep that only ever reaches b would score 0 below cost 3
        // without the anchor; with a at (1, 0.5) the curve is the chord: AIQ 0.75.
        var table = new OutcomeTable(["a", "b"], [Row(("a", 1, 1.0), ("b", 1, 3.0)), Row(("a", 0, 1.0), ("b", 1, 3.0))]);
        var baselines = Baselines.Compute(table);
        SweepPoint[] sweep = [new(0, new CurvePoint(3, 1), [1, 1])];

        Assert.Equal(0.75, RouterSweep.Aiq(sweep, baselines), Tolerance);
    }
}
