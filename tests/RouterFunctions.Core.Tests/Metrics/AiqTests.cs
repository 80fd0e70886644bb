using RouterFunctions.Core.Metrics;

namespace RouterFunctions.Core.Tests.Metrics;

public class AiqTests
{
    // Scores and costs below are exact binary fractions, so hand-computed areas compare exactly.
    private const double Tolerance = 1e-12;

    [Fact]
    public void UpperHull_drops_points_that_cost_more_for_no_more_score()
    {
        CurvePoint[] points = [new(3, 0.875), new(2, 0.375), new(1, 0.5), new(2, 0.5)];

        var hull = Aiq.UpperHull(points);

        Assert.Equal([new CurvePoint(1, 0.5), new CurvePoint(3, 0.875)], hull);
    }

    [Fact]
    public void UpperHull_drops_a_point_below_the_segment_joining_its_neighbours()
    {
        // The segment (1, 0.25) → (3, 0.75) passes 0.5 at cost 2; 0.375 is below it.
        CurvePoint[] points = [new(1, 0.25), new(2, 0.375), new(3, 0.75)];

        Assert.Equal([new CurvePoint(1, 0.25), new CurvePoint(3, 0.75)], Aiq.UpperHull(points));
    }

    [Fact]
    public void UpperHull_keeps_a_point_above_the_segment_joining_its_neighbours()
    {
        CurvePoint[] points = [new(1, 0.25), new(2, 0.625), new(3, 0.75)];

        Assert.Equal(points, Aiq.UpperHull(points));
    }

    [Fact]
    public void UpperHull_drops_a_point_exactly_on_the_segment()
    {
        CurvePoint[] points = [new(1, 0.25), new(2, 0.5), new(3, 0.75)];

        Assert.Equal([new CurvePoint(1, 0.25), new CurvePoint(3, 0.75)], Aiq.UpperHull(points));
    }

    [Fact]
    public void UpperHull_keeps_only_the_best_score_at_one_cost()
    {
        CurvePoint[] points = [new(1, 0.25), new(1, 0.75), new(1, 0.5)];

        Assert.Equal([new CurvePoint(1, 0.75)], Aiq.UpperHull(points));
    }

    [Fact]
    public void UpperHull_ignores_points_that_are_not_finite()
    {
        CurvePoint[] points = [new(double.NaN, 1), new(1, 0.25), new(2, double.PositiveInfinity), new(double.PositiveInfinity, 1)];

        Assert.Equal([new CurvePoint(1, 0.25)], Aiq.UpperHull(points));
    }

    [Fact]
    public void UpperHull_removes_several_points_when_a_high_one_arrives()
    {
        // (2, 0.5) and (3, 0.625) are both under the chord (1, 0.25) → (4, 1): 0.5 and 0.75 there.
        CurvePoint[] points = [new(1, 0.25), new(2, 0.5), new(3, 0.625), new(4, 1)];

        Assert.Equal([new CurvePoint(1, 0.25), new CurvePoint(4, 1)], Aiq.UpperHull(points));
    }

    [Fact]
    public void UpperHull_of_random_points_is_increasing_concave_and_covers_every_point()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var points = Enumerable.Range(0, random.Next(1, 12))
                .Select(_ => new CurvePoint(random.Next(0, 20) / 4.0, random.Next(0, 20) / 16.0))
                .ToList();

            var hull = Aiq.UpperHull(points);

            Assert.NotEmpty(hull);
            for (var i = 1; i < hull.Count; i++)
            {
                Assert.True(hull[i].Cost > hull[i - 1].Cost && hull[i].Score > hull[i - 1].Score, "hull must rise in cost and score");
            }

            for (var i = 2; i < hull.Count; i++)
            {
                var left = (hull[i - 1].Score - hull[i - 2].Score) / (hull[i - 1].Cost - hull[i - 2].Cost);
                var right = (hull[i].Score - hull[i - 1].Score) / (hull[i].Cost - hull[i - 1].Cost);
                Assert.True(right < left, "hull slopes must decrease");
            }

            foreach (var p in points)
            {
                Assert.True(p.Score <= HullAt(hull, p.Cost) + 1e-12, $"point ({p.Cost}, {p.Score}) lies above the hull");
            }
        }
    }

    [Fact]
    public void Compute_is_zero_below_the_cheapest_point_and_flat_above_the_dearest()
    {
        // One point at cost 2, score 0.5, integrated over [0, 4]: 0 on [0, 2], 0.5 on [2, 4] → area 1, AIQ 1/4.
        Assert.Equal(0.25, Aiq.Compute([new CurvePoint(2, 0.5)], 0, 4), Tolerance);
    }

    [Fact]
    public void Compute_integrates_the_segment_then_the_flat_extension()
    {
        // (0, 0.25) → (2, 0.75): trapezoid 2·0.5 = 1; then 0.75 flat on [2, 4]: 1.5. (1 + 1.5) / 4.
        CurvePoint[] points = [new(0, 0.25), new(2, 0.75)];

        Assert.Equal(0.625, Aiq.Compute(points, 0, 4), Tolerance);
    }

    [Fact]
    public void Compute_clips_the_curve_to_the_cost_range()
    {
        CurvePoint[] points = [new(0, 0.25), new(2, 0.75)];

        // [1, 2]: from 0.5 to 0.75 → area 0.625 over width 1.
        Assert.Equal(0.625, Aiq.Compute(points, 1, 2), Tolerance);

        // [-2, 1]: 0 on [-2, 0], then 0.25 → 0.5 on [0, 1]: area 0.375 over width 3.
        Assert.Equal(0.125, Aiq.Compute(points, -2, 1), Tolerance);
    }

    [Fact]
    public void Compute_interpolates_a_segment_that_runs_past_the_maximum_cost()
    {
        // (0, 0.25) → (4, 0.75) reaches 0.5 at cost 2: area on [0, 2] = 2·(0.25 + 0.5)/2 = 0.75.
        CurvePoint[] points = [new(0, 0.25), new(4, 0.75)];

        Assert.Equal(0.375, Aiq.Compute(points, 0, 2), Tolerance);
    }

    [Fact]
    public void Compute_ignores_dominated_and_below_hull_points()
    {
        CurvePoint[] hull = [new(0, 0.25), new(2, 0.75)];
        CurvePoint[] noisy = [.. hull, new(1, 0.25), new(3, 0.5), new(1.5, 0.125)];

        Assert.Equal(Aiq.Compute(hull, 0, 4), Aiq.Compute(noisy, 0, 4), Tolerance);
    }

    [Fact]
    public void Compute_of_no_points_is_zero()
    {
        Assert.Equal(0, Aiq.Compute([], 0, 1));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(0, double.NaN)]
    [InlineData(double.NaN, 1)]
    public void Compute_throws_when_the_maximum_cost_does_not_exceed_the_minimum(double minCost, double maxCost)
    {
        var e = Assert.Throws<ArgumentException>(() => Aiq.Compute([new CurvePoint(1, 1)], minCost, maxCost));
        Assert.Equal("maxCost", e.ParamName);
    }

    private static double HullAt(IReadOnlyList<CurvePoint> hull, double cost)
    {
        if (cost < hull[0].Cost)
        {
            return double.NegativeInfinity;
        }

        for (var i = 0; i + 1 < hull.Count; i++)
        {
            if (cost <= hull[i + 1].Cost)
            {
                var t = (cost - hull[i].Cost) / (hull[i + 1].Cost - hull[i].Cost);
                return hull[i].Score + (t * (hull[i + 1].Score - hull[i].Score));
            }
        }

        return hull[^1].Score;
    }
}
