using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Tests.Routing;

public class CostScaleTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void From_spans_the_smallest_and_largest_positive_cost()
    {
        Assert.Equal(new CostScale(0.01, 1), CostScale.From([0.5, 0, -3, 0.01, 1, double.NaN]));
    }

    [Fact]
    public void From_without_positive_costs_is_degenerate()
    {
        var scale = CostScale.From([0, -1]);

        Assert.Equal(new CostScale(1, 1), scale);
        Assert.Equal(0, scale.Normalize(5));
    }

    [Theory]
    [InlineData(0.01, 0)]
    [InlineData(0.1, 0.5)]
    [InlineData(1, 1)]
    [InlineData(0.001, 0)]
    [InlineData(0, 0)]
    [InlineData(10, 1)]
    public void Normalize_is_logarithmic_between_min_and_max_and_clipped_outside(double cost, double expected)
    {
        // log(0.1 / 0.01) / log(1 / 0.01) = 1 / 2.
        Assert.Equal(expected, new CostScale(0.01, 1).Normalize(cost), Tolerance);
    }

    [Fact]
    public void Normalize_places_the_geometric_mean_at_one_half()
    {
        var scale = new CostScale(2e-5, 8e-3);

        Assert.Equal(0.5, scale.Normalize(Math.Sqrt(2e-5 * 8e-3)), 1e-9);
    }

    [Fact]
    public void Normalize_is_zero_when_min_equals_max()
    {
        var scale = new CostScale(0.5, 0.5);

        Assert.Equal(0, scale.Normalize(0.1));
        Assert.Equal(0, scale.Normalize(0.5));
        Assert.Equal(0, scale.Normalize(2));
    }

    [Fact]
    public void Normalize_is_monotone_and_stays_in_the_unit_interval()
    {
        var random = new Random(3);
        var scale = new CostScale(1e-5, 1e-2);
        var costs = Enumerable.Range(0, 500).Select(_ => Math.Pow(10, -7 + (6 * random.NextDouble()))).Order().ToList();

        var normalized = costs.Select(scale.Normalize).ToList();

        Assert.All(normalized, v => Assert.InRange(v, 0, 1));
        Assert.Equal(normalized.Order(), normalized);
    }
}
