using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Tests.Routing;

public class RouterTests
{
    private const double Tolerance = 1e-9;

    // One centroid at the origin; no shrinkage, so predictions are the cell means:
    // cheap 0.6 @ 0.001, mid 0.8 @ 0.01, dear 0.9 @ 0.1 → normalised costs 0, 0.5, 1.
    // Utilities: weight 0 → dear; 0.25 → [0.6, 0.675, 0.65] mid; 1 → cheap.
    // Out of distribution beyond squared distance 4.
    private static RoutingProfile Profile(params ModelDescriptor[] models)
    {
        CellStats[] stats = [new(10, 0.6, 0.001), new(10, 0.8, 0.01), new(10, 0.9, 0.1)];
        return new RoutingProfile
        {
            Version = 3,
            EmbeddingModelId = "test",
            Models = models.Length > 0 ? models : [new() { Name = "cheap" }, new() { Name = "mid" }, new() { Name = "dear" }],
            Groups = ["g"],
            Centroids = [[0f, 0f]],
            CentroidGroups = [0],
            Cells = [stats],
            GroupCells = [stats],
            Global = stats,
            Scorer = new ScorerSettings { TopK = 1, Shrinkage = 0 },
            OodThreshold = 4,
        };
    }

    private static readonly float[] Near = [1f, 0f];
    private static readonly float[] Far = [3f, 0f];

    [Theory]
    [InlineData(0.0, "dear")]
    [InlineData(0.25, "mid")]
    [InlineData(1.0, "cheap")]
    public void Decide_applies_the_policy_to_the_estimate(double costWeight, string expected)
    {
        var decision = new Router(Profile()).Decide(Near, new RoutingPolicy { CostWeight = costWeight });

        Assert.Equal(expected, decision.Model);
        Assert.False(decision.OutOfDistribution);
        Assert.Equal(3, decision.ProfileVersion);
        Assert.Equal(0, decision.Cluster);
        Assert.Equal(1, decision.Distance, Tolerance);
    }

    [Fact]
    public void Decide_lists_candidates_sorted_by_utility_with_their_predictions()
    {
        var decision = new Router(Profile()).Decide(Near, new RoutingPolicy { CostWeight = 0.25 });

        Assert.Equal(["mid", "dear", "cheap"], decision.Candidates.Select(c => c.Model));
        Assert.Equal(0.675, decision.Candidates[0].Utility, Tolerance);
        Assert.Equal(0.8, decision.Candidates[0].PredictedQuality, Tolerance);
        Assert.Equal(0.01, decision.Candidates[0].PredictedCost, Tolerance);
        Assert.Equal(0.65, decision.Candidates[1].Utility, Tolerance);
        Assert.Equal(0.6, decision.Candidates[2].Utility, Tolerance);
    }

    [Fact]
    public void Decide_only_routes_to_and_lists_the_allowed_models()
    {
        var decision = new Router(Profile()).Decide(Near, new RoutingPolicy { CostWeight = 0 }, ["cheap", "mid"]);

        Assert.Equal("mid", decision.Model);
        Assert.Equal(["mid", "cheap"], decision.Candidates.Select(c => c.Model));
    }

    [Fact]
    public void Decide_treats_an_empty_allowed_list_as_every_model()
    {
        var decision = new Router(Profile()).Decide(Near, new RoutingPolicy { CostWeight = 0 }, []);

        Assert.Equal("dear", decision.Model);
        Assert.Equal(3, decision.Candidates.Count);
    }

    [Fact]
    public void Decide_excludes_disabled_models()
    {
        var router = new Router(Profile(new() { Name = "cheap" }, new() { Name = "mid" }, new() { Name = "dear", Enabled = false }));

        var anyModel = router.Decide(Near, new RoutingPolicy { CostWeight = 0 });
        var askedForDisabled = router.Decide(Near, new RoutingPolicy { CostWeight = 0 }, ["dear", "cheap"]);

        Assert.Equal("mid", anyModel.Model);
        Assert.DoesNotContain(anyModel.Candidates, c => c.Model == "dear");
        Assert.Equal("cheap", askedForDisabled.Model);
        Assert.Equal(["cheap"], askedForDisabled.Candidates.Select(c => c.Model));
    }

    [Fact]
    public void Decide_throws_when_no_allowed_model_is_enabled()
    {
        var router = new Router(Profile(new() { Name = "cheap" }, new() { Name = "mid" }, new() { Name = "dear", Enabled = false }));

        Assert.Throws<ArgumentException>(() => router.Decide(Near, RoutingPolicy.Default, ["dear"]));
        Assert.Throws<ArgumentException>(() => router.Decide(Near, RoutingPolicy.Default, ["unknown"]));
    }

    [Fact]
    public void Decide_flags_a_far_query_and_sends_it_to_the_fallback_model()
    {
        var router = new Router(Profile() with { FallbackModel = "mid" });

        var decision = router.Decide(Far, new RoutingPolicy { CostWeight = 1 });

        Assert.True(decision.OutOfDistribution);
        Assert.Equal(9, decision.Distance, Tolerance);
        Assert.Equal("mid", decision.Model);
    }

    [Fact]
    public void Decide_without_a_named_fallback_sends_far_queries_to_the_best_global_model()
    {
        var decision = new Router(Profile()).Decide(Far, new RoutingPolicy { CostWeight = 1 });

        Assert.True(decision.OutOfDistribution);
        Assert.Equal("dear", decision.Model);
    }

    [Fact]
    public void Decide_ignores_a_fallback_name_that_is_not_in_the_profile()
    {
        var decision = new Router(Profile() with { FallbackModel = "gone" }).Decide(Far, new RoutingPolicy { CostWeight = 1 });

        Assert.Equal("dear", decision.Model);
    }

    [Fact]
    public void Decide_keeps_the_policy_choice_for_a_far_query_when_the_fallback_is_not_allowed()
    {
        var router = new Router(Profile() with { FallbackModel = "dear" });

        var decision = router.Decide(Far, new RoutingPolicy { CostWeight = 0 }, ["cheap", "mid"]);

        Assert.True(decision.OutOfDistribution);
        Assert.Equal("mid", decision.Model);
    }

    [Fact]
    public void Decide_does_not_flag_a_query_at_the_threshold()
    {
        var decision = new Router(Profile()).Decide([2f, 0f], new RoutingPolicy { CostWeight = 1 });

        Assert.False(decision.OutOfDistribution);
        Assert.Equal("cheap", decision.Model);
    }

    [Fact]
    public void Constructor_accepts_a_cold_model_missing_from_the_statistics_rows()
    {
        var profile = Profile() with
        {
            Models = [new() { Name = "cheap" }, new() { Name = "mid" }, new() { Name = "dear" }, new() { Name = "new", PriorQuality = 0.95, PriorCost = 0.1 }],
        };

        var router = new Router(profile);

        Assert.Equal("new", router.Decide(Near, new RoutingPolicy { CostWeight = 0 }).Model);
        Assert.Equal("dear", router.Decide(Far, new RoutingPolicy { CostWeight = 0 }).Model);
    }

    [Fact]
    public void UnknownModels_lists_names_missing_from_the_profile()
    {
        var router = new Router(Profile());

        Assert.Equal(["Mid", "gpt-x"], router.UnknownModels(["cheap", "Mid", "gpt-x", "dear"]));
        Assert.Empty(router.UnknownModels(["cheap", "mid"]));
    }
}
