using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Tests.Routing;

/// <summary>How a group's <see cref="GroupMode"/> changes its queries' estimates and decisions.</summary>
public class GroupModeRoutingTests
{
    private const double Tolerance = 1e-9;

    private static readonly float[] InFirst = [0f, 0f];
    private static readonly float[] InSecond = [10f, 0f];

    // Two groups of one centroid each, no shrinkage. The cells disagree with their groups, so an estimate shows which
    // served: cells cheap 0.9 / dear 0.5 in both; groups: first cheap 0.4 / dear 0.8, second cheap 0.7 / dear 0.6.
    private static RoutingProfile Profile(params GroupMode[] modes) => new()
    {
        EmbeddingModelId = "test",
        Models = [new() { Name = "cheap" }, new() { Name = "dear" }],
        Groups = ["first", "second"],
        Centroids = [[0f, 0f], [10f, 0f]],
        CentroidGroups = [0, 1],
        Cells = [[new(10, 0.9, 0.001), new(10, 0.5, 0.1)], [new(10, 0.9, 0.001), new(10, 0.5, 0.1)]],
        GroupCells = [[new(10, 0.4, 0.002), new(10, 0.8, 0.2)], [new(10, 0.7, 0.002), new(10, 0.6, 0.2)]],
        Global = [new(20, 0.55, 0.002), new(20, 0.7, 0.2)],
        Scorer = new ScorerSettings { TopK = 1, Shrinkage = 0 },
        GroupModes = modes.Length == 0 ? null : modes,
    };

    [Fact]
    public void Means_gives_every_query_of_the_group_its_means_and_leaves_other_groups_on_the_scorer()
    {
        var estimator = new QualityEstimator(Profile(GroupMode.Scorer, new GroupMode(GroupPrediction.Means)));

        var second = estimator.Estimate(InSecond);
        var first = estimator.Estimate(InFirst);

        AssertPair(0.7, 0.6, second.Quality);
        AssertPair(0.002, 0.2, second.Cost);
        Assert.Null(second.Pinned);
        AssertPair(0.9, 0.5, first.Quality);
        AssertPair(0.001, 0.1, first.Cost);
    }

    [Fact]
    public void Without_group_modes_every_group_is_on_the_scorer()
    {
        var estimator = new QualityEstimator(Profile());

        AssertPair(0.9, 0.5, estimator.Estimate(InSecond).Quality);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void Best_routes_the_group_to_its_model_at_every_cost_weight(double costWeight)
    {
        var router = new Router(Profile(new GroupMode(GroupPrediction.Best, "dear"), GroupMode.Scorer));

        var pinned = router.Decide(InFirst, new RoutingPolicy { CostWeight = costWeight });
        var scored = router.Decide(InSecond, new RoutingPolicy { CostWeight = costWeight });

        Assert.Equal("dear", pinned.Model);
        Assert.Equal("cheap", scored.Model); // the cells' 0.9 at the lower cost wins at any weight
        Assert.Equal(0.8, pinned.Candidates.Single(c => c.Model == "dear").PredictedQuality, Tolerance); // predictions are the group's means
    }

    [Fact]
    public void Best_still_respects_the_allowed_models_and_the_budget()
    {
        var router = new Router(Profile(new GroupMode(GroupPrediction.Best, "dear"), GroupMode.Scorer));

        Assert.Equal("cheap", router.Decide(InFirst, RoutingPolicy.Default, ["cheap"]).Model);
        Assert.Equal("cheap", router.Decide(InFirst, new RoutingPolicy { CostWeight = 0, MaxCost = 0.01 }).Model);
    }

    [Fact]
    public void Best_with_a_model_no_longer_in_the_profile_falls_back_to_the_means()
    {
        var estimate = new QualityEstimator(Profile(new GroupMode(GroupPrediction.Best, "retired"), GroupMode.Scorer)).Estimate(InFirst);

        Assert.Null(estimate.Pinned);
        AssertPair(0.4, 0.8, estimate.Quality);
    }

    private static void AssertPair(double first, double second, double[] actual)
    {
        Assert.Equal(2, actual.Length);
        Assert.Equal(first, actual[0], Tolerance);
        Assert.Equal(second, actual[1], Tolerance);
    }
}
