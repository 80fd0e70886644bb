using RouterFunctions.Core.Metrics;

namespace RouterFunctions.Core.Tests.Metrics;

public class CostAtQualityTests
{
    private static readonly CurvePoint[] Points = [new(4, 0.9), new(3, 0.8), new(2, 0.8), new(1, 0.5)];

    [Theory]
    [InlineData(0.8, 2)]
    [InlineData(0.5, 1)]
    [InlineData(0.0, 1)]
    [InlineData(0.85, 4)]
    [InlineData(0.9, 4)]
    public void Lowest_is_the_cheapest_cost_among_points_reaching_the_quality(double quality, double expected)
    {
        Assert.Equal(expected, CostAtQuality.Lowest(Points, quality));
    }

    [Fact]
    public void Lowest_is_null_when_no_point_reaches_the_quality()
    {
        Assert.Null(CostAtQuality.Lowest(Points, 0.95));
        Assert.Null(CostAtQuality.Lowest([], 0));
    }

    [Fact]
    public void Lowest_tolerates_rounding_just_below_the_quality()
    {
        CurvePoint[] points = [new(1, 0.8 - 1e-12), new(2, 0.9)];

        Assert.Equal(1, CostAtQuality.Lowest(points, 0.8));
    }

    [Fact]
    public void Lowest_does_not_accept_a_score_clearly_below_the_quality()
    {
        CurvePoint[] points = [new(1, 0.8 - 1e-6), new(2, 0.9)];

        Assert.Equal(2, CostAtQuality.Lowest(points, 0.8));
    }
    [Theory]
    [InlineData(0.8, 2)]
    [InlineData(0.9, 0)]
    [InlineData(0.95, -1)]
    public void CheapestIndex_points_at_the_point_behind_the_lowest_cost(double quality, int expected)
    {
        Assert.Equal(expected, CostAtQuality.CheapestIndex(Points, quality));
    }
}
