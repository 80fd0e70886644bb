using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Tests.Profiles;

public class ProfileModelsTests
{
    private static readonly CellStats[] Stats = [new(10, 0.6, 0.001), new(10, 0.9, 0.1)];

    private static RoutingProfile Profile() => new()
    {
        Version = 4,
        EmbeddingModelId = "e",
        Models = [new() { Name = "cheap" }, new() { Name = "dear" }],
        Groups = ["g"],
        Centroids = [[0f, 0f]],
        CentroidGroups = [0],
        Cells = [Stats],
        GroupCells = [Stats],
        Global = Stats,
        Heads = [[null, new LogisticHead([1f, 0f], 0)]],
        Scorer = new ScorerSettings { TopK = 1, Shrinkage = 0 },
    };

    [Fact]
    public void A_catalog_model_the_profile_lacks_is_appended_with_empty_statistics_and_predicted_at_its_prior()
    {
        var fresh = new ModelDescriptor { Name = "fresh", PriorQuality = 0.8, PriorCost = 0.002 };
        var now = new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

        var extended = ProfileModels.WithNewModels(Profile(), [new() { Name = "dear" }, fresh], 5, now)!;

        Assert.Equal(["cheap", "dear", "fresh"], extended.Models.Select(m => m.Name));
        Assert.Equal((5, now), (extended.Version, extended.CreatedAt));
        Assert.All(extended.Cells.Concat(extended.GroupCells).Append([.. extended.Global]), row => Assert.Equal(CellStats.Empty, row[2]));
        Assert.Null(extended.Heads![0][2]);
        Assert.Equal("fresh", extended.Notes["modelsAdded"]);
        var estimate = new QualityEstimator(extended).Estimate([0f, 0f]);
        Assert.Equal((0.8, 0.002), (estimate.Quality[2], estimate.Cost[2]));
        Assert.Equal((0.9, 0.1), (estimate.Quality[1], estimate.Cost[1])); // the others are predicted as before
    }

    [Fact]
    public void Nothing_new_in_the_catalog_is_null() =>
        Assert.Null(ProfileModels.WithNewModels(Profile(), [new() { Name = "cheap" }], 5, default));
}
