using RouterFunctions.Core.Metrics;
using static RouterFunctions.Core.Tests.Metrics.OutcomeTableTests;

namespace RouterFunctions.Core.Tests.Metrics;

public class TwoModelMetricsTests
{
    private const double Tolerance = 1e-12;

    // strong s (index 0) is right on q0, q1, q3 (0.75); weak w on q3 only (0.25): a gap of 0.5.
    private static OutcomeTable Table() => new(
        ["s", "w"],
        [Row(("s", 1, 2.0), ("w", 0, 1.0)), Row(("s", 1, 2.0), ("w", 0, 1.0)), Row(("s", 0, 2.0), ("w", 0, 1.0)), Row(("s", 1, 2.0), ("w", 1, 1.0))]);

    private static SweepPoint Setting(OutcomeTable table, params int[] picks) => new(0, table.Evaluate(picks), picks);

    [Fact]
    public void Compute_takes_the_share_to_the_strong_model_from_the_picks_and_integrates_the_anchored_hull()
    {
        var table = Table();

        // q0 to s, the rest to w: x = 0.25, score 0.5, PGR 0.5. Hull (0,0) (0.25,0.5) (1,1):
        // area 0.25·0.25 + 0.75·(0.5+1)/2 = 0.625.
        var metrics = TwoModelMetrics.Compute(table, [Setting(table, 0, 1, 1, 1)])!;

        Assert.Equal("s", metrics.Strong);
        Assert.Equal("w", metrics.Weak);
        Assert.Equal(0.75, metrics.StrongScore, Tolerance);
        Assert.Equal(0.25, metrics.WeakScore, Tolerance);
        Assert.Equal([new CurvePoint(0, 0), new CurvePoint(0.25, 0.5), new CurvePoint(1, 1)], metrics.PgrCurve);
        Assert.Equal(0.625, metrics.Apgr, Tolerance);
        Assert.Equal(0.25, metrics.Cpt(0.5)!.Value, Tolerance);
        Assert.Equal(0.25 + (0.75 * 0.3 / 0.5), metrics.Cpt(0.8)!.Value, Tolerance); // interpolated on the mix of (0.25, 0.5) and (1, 1)
    }

    [Fact]
    public void The_strong_model_is_the_one_with_the_higher_mean_score_not_the_first()
    {
        var table = new OutcomeTable(["w", "s"], [Row(("w", 0, 1.0), ("s", 1, 2.0)), Row(("w", 1, 1.0), ("s", 1, 2.0))]);

        // Both queries to s (index 1): x = 1.
        var metrics = TwoModelMetrics.Compute(table, [Setting(table, 1, 1)])!;

        Assert.Equal("s", metrics.Strong);
        Assert.Equal(1.0, metrics.StrongScore, Tolerance);
        Assert.Equal(0.5, metrics.WeakScore, Tolerance);
        Assert.Equal(0.5, metrics.Apgr, Tolerance); // only the anchors: the diagonal
    }

    [Fact]
    public void A_curve_on_the_diagonal_is_random_routing_apgr_one_half_and_cpt_equal_to_the_level()
    {
        var metrics = TwoModelMetrics.FromPoints("s", "w", 0.8, 0.6, [new(0.25, 0.65), new(0.5, 0.7), new(0.75, 0.75)]);

        Assert.Equal(0.5, metrics.Apgr, 1e-9);
        Assert.Equal(0.5, metrics.Cpt(0.5)!.Value, 1e-9);
        Assert.Equal(0.8, metrics.Cpt(0.8)!.Value, 1e-9);
    }

    [Fact]
    public void Points_below_the_hull_do_not_lower_the_area()
    {
        var with = TwoModelMetrics.FromPoints("s", "w", 1, 0, [new(0.5, 0.8), new(0.6, 0.1), new(0.2, 0.05)]);
        var without = TwoModelMetrics.FromPoints("s", "w", 1, 0, [new(0.5, 0.8)]);

        Assert.Equal(without.Apgr, with.Apgr, Tolerance);
        Assert.Equal(0.65, with.Apgr, Tolerance); // 0.5·0.4 + 0.5·0.9
    }

    [Fact]
    public void A_router_above_the_strong_model_stays_flat_to_the_end()
    {
        // PGR 1.2 at x = 0.5: (0,0)→(0.5,1.2) then flat; the anchor (1,1) lies below and drops out.
        var metrics = TwoModelMetrics.FromPoints("s", "w", 1, 0, [new(0.5, 1.2)]);

        Assert.Equal((0.5 * 0.6) + (0.5 * 1.2), metrics.Apgr, Tolerance);
        Assert.Equal(0.5 * 0.5 / 1.2, metrics.Cpt(0.5)!.Value, Tolerance);
        Assert.Null(metrics.Cpt(1.5));
    }

    [Fact]
    public void A_synthetic_random_router_scores_apgr_near_one_half_and_cpt50_near_half_the_calls()
    {
        // 20,000 queries, weak right 60% and strong 80% of the time, independently; at knob x each query goes to the
        // strong model when its own coin u < x: a query-blind router.
        var random = new Random(7);
        const int n = 20_000;
        var rows = new List<IReadOnlyDictionary<string, Core.Data.ModelOutcome>>(n);
        var coins = new double[n];
        for (var q = 0; q < n; q++)
        {
            rows.Add(Row(("weak", random.NextDouble() < 0.6 ? 1 : 0, 1.0), ("strong", random.NextDouble() < 0.8 ? 1 : 0, 10.0)));
            coins[q] = random.NextDouble();
        }

        var table = new OutcomeTable(["weak", "strong"], rows);
        var sweep = Enumerable.Range(0, 21).Select(i => i / 20.0)
            .Select(x => Setting(table, [.. coins.Select(u => u < x ? 1 : 0)]))
            .ToList();

        var metrics = TwoModelMetrics.Compute(table, sweep)!;

        Assert.Equal("strong", metrics.Strong);
        Assert.InRange(metrics.Apgr, 0.48, 0.53); // the hull over sampling noise lifts it a little above 0.5
        Assert.InRange(metrics.Cpt(0.5)!.Value, 0.45, 0.55);
        Assert.InRange(metrics.Cpt(0.8)!.Value, 0.75, 0.85);
    }

    [Fact]
    public void Compute_is_null_without_exactly_two_models_or_without_a_gap()
    {
        var three = new OutcomeTable(["a", "b", "c"], [Row(("a", 1, 1.0), ("b", 0, 1.0), ("c", 0, 1.0))]);
        var tied = new OutcomeTable(["a", "b"], [Row(("a", 1, 1.0), ("b", 0, 2.0)), Row(("a", 0, 1.0), ("b", 1, 2.0))]);

        Assert.Null(TwoModelMetrics.Compute(three, [Setting(three, 0)]));
        Assert.Null(TwoModelMetrics.Compute(tied, [Setting(tied, 0, 1)]));
    }

    [Fact]
    public void FromPoints_refuses_a_strong_model_that_does_not_score_above_the_weak_one()
    {
        Assert.Throws<ArgumentException>(() => TwoModelMetrics.FromPoints("s", "w", 0.5, 0.5, []));
    }
}
