using RouterFunctions.Core.Metrics;
using RouterFunctions.Core.Routing;
using static RouterFunctions.Core.Tests.Metrics.OutcomeTableTests;

namespace RouterFunctions.Core.Tests.Metrics;

public class RouterEvaluationTests
{
    private const double Tolerance = 1e-12;

    // a costs 1 and is right on q0 only; b costs 10 and is right on both. Perfect predictions:
    // for every weight < 1 the router sends q0 to a (tie at 0 → cheaper) and q1 to b: the oracle (5.5, 1).
    // At weight 1, q1's utilities tie at 0 and the cheaper a wins: (1, 0.5).
    private static OutcomeTable Table() => new(
        ["a", "b"],
        [Row(("a", 1, 1.0), ("b", 1, 10.0)), Row(("a", 0, 1.0), ("b", 1, 10.0))]);

    private static readonly Estimate[] Estimates =
    [
        new([1, 1], [1, 10], [new ClusterWeight(0, 1)], 0),
        new([0, 1], [1, 10], [new ClusterWeight(0, 1)], 0),
    ];

    private static readonly CostScale Scale = new(1, 10);

    [Fact]
    public void Evaluate_reports_the_sweep_beside_the_baselines()
    {
        var evaluation = RouterEvaluation.Evaluate(Estimates, Table(), Scale, steps: 4);

        Assert.Equal(2, evaluation.Queries);
        Assert.Equal("b", evaluation.Baselines.BestSingleModel);
        Assert.Equal(5, evaluation.Sweep.Count);
        Assert.All(evaluation.Sweep.Take(4), p => Assert.Equal(new CurvePoint(5.5, 1), p.Point));
        Assert.Equal(new CurvePoint(1, 0.5), evaluation.Sweep[4].Point);
        Assert.Equal(1, evaluation.BestScore, Tolerance);
    }

    [Fact]
    public void Evaluate_aiq_is_the_area_under_the_router_hull()
    {
        // Hull (1, 0.5) → (5.5, 1) then flat to 10: 4.5·0.75 + 4.5·1 = 7.875 over width 9.
        var evaluation = RouterEvaluation.Evaluate(Estimates, Table(), Scale, steps: 4);

        Assert.Equal(0.875, evaluation.Aiq, Tolerance);
        Assert.Equal(0.75, evaluation.Baselines.ZeroRouterAiq, Tolerance);
    }

    [Fact]
    public void Evaluate_reports_cost_at_each_requested_quality()
    {
        var evaluation = RouterEvaluation.Evaluate(Estimates, Table(), Scale, [0.5, 0.75, 1.0, 1.0, 1.1], steps: 4);

        Assert.Equal(4, evaluation.CostAt.Count);
        Assert.Equal(1, evaluation.CostAt[0.5]);
        Assert.Equal(5.5, evaluation.CostAt[0.75]);
        Assert.Equal(5.5, evaluation.CostAt[1.0]);
        Assert.Null(evaluation.CostAt[1.1]);
    }

    [Fact]
    public void Evaluate_defaults_to_the_standard_qualities_and_the_best_single_score()
    {
        var evaluation = RouterEvaluation.Evaluate(Estimates, Table(), Scale, steps: 4);

        Assert.Equal([0.85, 0.86, 0.875, 1.0], evaluation.CostAt.Keys.Order());
        Assert.All(evaluation.CostAt.Values, cost => Assert.Equal(5.5, cost));
    }

    [Fact]
    public void DefaultQualities_ends_with_the_best_single_models_score()
    {
        var baselines = Baselines.Compute(Table());

        Assert.Equal([0.85, 0.86, 0.875, 1.0], RouterEvaluation.DefaultQualities(baselines));
    }
    [Fact]
    public void Evaluate_resolves_relative_targets_on_the_tables_best_single_model()
    {
        // b is the best single model at 1.0: best-0.5 is 0.5, reached at cost 1 (weight 1); 0.75 needs (5.5, 1).
        var evaluation = RouterEvaluation.Evaluate(Estimates, Table(), Scale, [ScoreTarget.Parse("best-0.5"), ScoreTarget.Parse("0.75")], steps: 4);

        Assert.Equal([0.5, 0.75], evaluation.CostAt.Keys);
        Assert.Equal(1, evaluation.CostAt[0.5]);
        Assert.Equal(5.5, evaluation.CostAt[0.75]);
    }

    [Fact]
    public void CheapestReaching_is_the_knob_setting_behind_each_cost_at_quality()
    {
        var evaluation = RouterEvaluation.Evaluate(Estimates, Table(), Scale, steps: 4);

        Assert.Equal(1, evaluation.CheapestReaching(0.5)!.CostWeight);
        Assert.Equal(0, evaluation.CheapestReaching(0.75)!.CostWeight); // the first of the settings tied at (5.5, 1)
        Assert.Equal([0, 1], evaluation.CheapestReaching(1.0)!.Picks);
        Assert.Null(evaluation.CheapestReaching(1.1));
    }

    [Fact]
    public void Evaluate_adds_the_two_model_metrics_on_a_two_model_table()
    {
        // Strong b, weak a (0.5). Weights < 1 send q1 to b: x = 0.5 at PGR 1; weight 1 is all a. Hull (0,0) (0.5,1) flat.
        var two = RouterEvaluation.Evaluate(Estimates, Table(), Scale, steps: 4).TwoModel!;

        Assert.Equal("b", two.Strong);
        Assert.Equal(0.75, two.Apgr, Tolerance);
        Assert.Equal(0.25, two.Cpt(0.5)!.Value, Tolerance);
        Assert.Equal(0.4, two.Cpt(0.8)!.Value, Tolerance);
    }
}
