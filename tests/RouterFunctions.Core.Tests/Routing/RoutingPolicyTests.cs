using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Tests.Routing;

public class RoutingPolicyTests
{
    [Fact]
    public void Validate_accepts_the_default_policy()
    {
        Assert.Null(RoutingPolicy.Default.Validate());
        Assert.Equal(0.25, RoutingPolicy.Default.CostWeight);
    }

    [Theory]
    [InlineData(0.0, 0.0, 1e-9)]
    [InlineData(1.0, 1.0, 100.0)]
    public void Validate_accepts_the_boundaries(double costWeight, double band, double maxCost)
    {
        Assert.Null(new RoutingPolicy { CostWeight = costWeight, QualityBand = band, MaxCost = maxCost }.Validate());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    public void Validate_rejects_a_cost_weight_outside_zero_to_one(double costWeight)
    {
        var problem = new RoutingPolicy { CostWeight = costWeight }.Validate();

        Assert.Equal("policy.costWeight", problem?.Field);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    public void Validate_rejects_a_quality_band_outside_zero_to_one(double band)
    {
        var problem = new RoutingPolicy { QualityBand = band }.Validate();

        Assert.Equal("policy.qualityBand", problem?.Field);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void Validate_rejects_a_max_cost_that_is_not_a_positive_number(double maxCost)
    {
        var problem = new RoutingPolicy { MaxCost = maxCost }.Validate();

        Assert.Equal("policy.maxCost", problem?.Field);
        Assert.False(string.IsNullOrWhiteSpace(problem?.Problem));
    }

    [Fact]
    public void Validate_reports_the_first_invalid_field()
    {
        var problem = new RoutingPolicy { CostWeight = -1, QualityBand = 2, MaxCost = -1 }.Validate();

        Assert.Equal("policy.costWeight", problem?.Field);
    }
}
