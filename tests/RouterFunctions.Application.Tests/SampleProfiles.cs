using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Application.Tests;

/// <summary>Small hand-made profiles: valid for a <see cref="Core.Routing.Router"/>, with every field set to something recognisable.</summary>
internal static class SampleProfiles
{
    public static RoutingProfile Small(int version = 3) => new()
    {
        Version = version,
        CreatedAt = new DateTimeOffset(2025, 6, 1, 8, 15, 0, TimeSpan.Zero),
        EmbeddingModelId = "sample-embedder",
        Models =
        [
            new() { Name = "cheap", InputPricePerMillion = 0.15, OutputPricePerMillion = 0.6, ContextLength = 4096 },
            new() { Name = "dear", InputPricePerMillion = 5, OutputPricePerMillion = 15 },
        ],
        Groups = ["code", "math"],
        Centroids = [[1f, 0f, 0.5f], [0f, 1f, -0.25f]],
        CentroidGroups = [0, 1],
        Cells = [[new CellStats(4, 0.75, 1e-4), new CellStats(4, 1, 2e-3)], [new CellStats(2, 0.5, 1e-4), new CellStats(2, 0.9, 3e-3)]],
        GroupCells = [[new CellStats(4, 0.75, 1e-4), new CellStats(4, 1, 2e-3)], [new CellStats(2, 0.5, 1e-4), new CellStats(2, 0.9, 3e-3)]],
        Global = [new CellStats(6, 2.0 / 3, 1e-4), new CellStats(6, 29.0 / 30, 7.0 / 3000)],
        Heads = [[new LogisticHead([0.5f, -0.25f, 2f], -0.3), null], [null, new LogisticHead([1f, 2f, 3f], 0.1)]],
        Scorer = new ScorerSettings { Kind = ScorerKind.GroupLogistic, TopK = 2, Temperature = 0.1, Shrinkage = 30, Regularization = 0.03 },
        Notes = new Dictionary<string, string> { ["seed"] = "7", ["trainedOn"] = "12" },
    };

    /// <summary>A profile of many centroids, so its JSON is large enough that a non-atomic write would be seen half done.</summary>
    public static RoutingProfile Large(int version, int centroids = 300, int dimensions = 64)
    {
        var small = Small(version);
        var random = new Random(version);
        return small with
        {
            Centroids = [.. Enumerable.Range(0, centroids).Select(_ => Enumerable.Range(0, dimensions).Select(_ => (float)random.NextDouble()).ToArray())],
            CentroidGroups = [.. Enumerable.Range(0, centroids).Select(c => c % 2)],
            Cells = [.. Enumerable.Range(0, centroids).Select(c => small.Cells[c % 2])],
            Heads = null,
        };
    }
}
