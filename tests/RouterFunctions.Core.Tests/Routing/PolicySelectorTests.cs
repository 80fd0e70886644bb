using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Tests.Routing;

public class PolicySelectorTests
{
    private const double Tolerance = 1e-12;

    // Costs 0.001, 0.01, 0.1 normalise to 0, 0.5, 1 on this scale.
    private static readonly CostScale Scale = new(0.001, 0.1);

    private static readonly Estimate ThreeModels = new([0.5, 0.8, 0.9], [0.001, 0.01, 0.1], [new ClusterWeight(0, 1)], 0);

    [Theory]
    [InlineData(0.0, 2)] // utilities [0.5, 0.8, 0.9]
    [InlineData(0.25, 1)] // [0.5, 0.675, 0.65]
    [InlineData(1.0, 0)] // [0.5, 0.3, −0.1]
    public void Choose_trades_quality_against_cost_with_the_cost_weight(double costWeight, int expected)
    {
        var utility = new double[3];

        var chosen = PolicySelector.Choose(ThreeModels, new RoutingPolicy { CostWeight = costWeight }, Scale, null, utility);

        Assert.Equal(expected, chosen);
    }

    [Fact]
    public void Choose_fills_each_models_utility()
    {
        var utility = new double[3];

        PolicySelector.Choose(ThreeModels, new RoutingPolicy { CostWeight = 0.25 }, Scale, [true, false, true], utility);

        Assert.Equal(0.5, utility[0], Tolerance);
        Assert.Equal(0.8 - 0.125, utility[1], Tolerance);
        Assert.Equal(0.9 - 0.25, utility[2], Tolerance);
    }

    [Theory]
    [InlineData(0.1, 1)] // 0.8 and 0.9 are within 0.1 of the best: the cheaper is model 1
    [InlineData(0.05, 2)] // only the best itself
    [InlineData(0.4, 0)] // everything: the cheapest
    public void Choose_with_a_quality_band_picks_the_cheapest_within_the_band(double band, int expected)
    {
        // A cost weight that alone would pick model 2 shows that the band replaces the knob.
        var policy = new RoutingPolicy { CostWeight = 0, QualityBand = band };

        Assert.Equal(expected, PolicySelector.Choose(ThreeModels, policy, Scale, null, new double[3]));
    }

    [Fact]
    public void Choose_with_a_quality_band_measures_from_the_best_allowed_model()
    {
        var policy = new RoutingPolicy { QualityBand = 0.3 };

        // Model 2 is not allowed: the best is 0.8 and the band reaches 0.5.
        Assert.Equal(0, PolicySelector.Choose(ThreeModels, policy, Scale, [true, true, false], new double[3]));
    }

    [Fact]
    public void Choose_with_a_max_cost_ignores_models_over_budget()
    {
        var policy = new RoutingPolicy { CostWeight = 0, MaxCost = 0.05 };

        Assert.Equal(1, PolicySelector.Choose(ThreeModels, policy, Scale, null, new double[3]));
    }

    [Fact]
    public void Choose_with_a_max_cost_and_a_band_measures_the_band_within_budget()
    {
        // Within budget the best is 0.8; band 0.05 keeps only model 1.
        var policy = new RoutingPolicy { QualityBand = 0.05, MaxCost = 0.05 };

        Assert.Equal(1, PolicySelector.Choose(ThreeModels, policy, Scale, null, new double[3]));
    }

    [Fact]
    public void Choose_falls_back_to_the_cheapest_model_when_nothing_fits_the_budget()
    {
        var policy = new RoutingPolicy { CostWeight = 0, MaxCost = 1e-6 };

        Assert.Equal(0, PolicySelector.Choose(ThreeModels, policy, Scale, null, new double[3]));
        Assert.Equal(0, PolicySelector.Choose(ThreeModels, policy with { QualityBand = 0.1 }, Scale, null, new double[3]));
    }

    [Fact]
    public void Choose_falls_back_to_the_cheapest_allowed_model_when_nothing_fits_the_budget()
    {
        var policy = new RoutingPolicy { CostWeight = 0, MaxCost = 1e-6 };

        Assert.Equal(1, PolicySelector.Choose(ThreeModels, policy, Scale, [false, true, true], new double[3]));
    }

    [Fact]
    public void Choose_never_picks_a_model_outside_the_allowed_mask()
    {
        var policy = new RoutingPolicy { CostWeight = 0 };

        Assert.Equal(1, PolicySelector.Choose(ThreeModels, policy, Scale, [true, true, false], new double[3]));
        Assert.Equal(0, PolicySelector.Choose(ThreeModels, policy, Scale, [true, false, false], new double[3]));
    }

    [Fact]
    public void Choose_breaks_a_utility_tie_toward_the_cheaper_model()
    {
        // Equal quality, equal normalised cost (both at or below the scale's minimum), different real cost.
        var estimate = new Estimate([0.75, 0.75], [0.001, 0.0005], [new ClusterWeight(0, 1)], 0);

        Assert.Equal(1, PolicySelector.Choose(estimate, new RoutingPolicy { CostWeight = 0.5 }, Scale, null, new double[2]));
        Assert.Equal(1, PolicySelector.Choose(estimate, new RoutingPolicy { CostWeight = 0 }, Scale, null, new double[2]));
    }

    [Fact]
    public void Choose_matches_an_exhaustive_search_on_random_estimates()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 300; trial++)
        {
            var n = random.Next(1, 6);
            var quality = Enumerable.Range(0, n).Select(_ => random.Next(0, 9) / 8.0).ToArray();
            var cost = Enumerable.Range(0, n).Select(_ => Math.Pow(10, -random.Next(2, 6))).ToArray();
            var allowed = Enumerable.Range(0, n).Select(_ => random.Next(4) > 0).ToArray();
            allowed[random.Next(n)] = true;
            var policy = new RoutingPolicy { CostWeight = random.Next(0, 5) / 4.0 };
            var scale = CostScale.From(cost);
            var estimate = new Estimate(quality, cost, [new ClusterWeight(0, 1)], 0);

            var chosen = PolicySelector.Choose(estimate, policy, scale, allowed, new double[n]);

            // Reference: highest utility among allowed models, then lowest cost, then lowest index.
            var expected = Enumerable.Range(0, n).Where(m => allowed[m])
                .OrderByDescending(m => quality[m] - (policy.CostWeight * scale.Normalize(cost[m])))
                .ThenBy(m => cost[m])
                .First();
            Assert.Equal(expected, chosen);
        }
    }
}
