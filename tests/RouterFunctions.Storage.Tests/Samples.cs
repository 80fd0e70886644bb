using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Storage.Tests;

/// <summary>Profiles filled with pseudo-random values from a seed: every field differs, so a mixed-up chunk or field shows.</summary>
internal static class Samples
{
    public static RoutingProfile Profile(int version, int centroids = 4, int dimensions = 8, int groups = 2, int models = 3, int seed = 0)
    {
        var random = new Random((version * 7919) + seed);
        float[] Vector() => [.. Enumerable.Range(0, dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        CellStats Cell() => new(random.Next(1, 500), random.NextDouble(), random.NextDouble() * 1e-3);
        return new RoutingProfile
        {
            Version = version,
            CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(1_000_000)),
            EmbeddingModelId = $"embedder-{seed}",
            Models = [.. Enumerable.Range(0, models).Select(m => new ModelDescriptor { Name = $"model-{m}", InputPricePerMillion = m + 0.25, OutputPricePerMillion = (m * 2) + 0.5 })],
            Groups = [.. Enumerable.Range(0, groups).Select(g => $"group-{g}")],
            Centroids = [.. Enumerable.Range(0, centroids).Select(_ => Vector())],
            CentroidGroups = [.. Enumerable.Range(0, centroids).Select(c => c % groups)],
            Cells = [.. Enumerable.Range(0, centroids).Select(_ => Enumerable.Range(0, models).Select(_ => Cell()).ToArray())],
            GroupCells = [.. Enumerable.Range(0, groups).Select(_ => Enumerable.Range(0, models).Select(_ => Cell()).ToArray())],
            Global = [.. Enumerable.Range(0, models).Select(_ => Cell())],
            Heads = [.. Enumerable.Range(0, groups).Select(_ => Enumerable.Range(0, models).Select(m => m % 4 == 3 ? null : new LogisticHead(Vector(), random.NextDouble() - 0.5)).ToArray())],
            Notes = new Dictionary<string, string> { ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
    }

    public static void AssertSame(RoutingProfile expected, RoutingProfile? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.EmbeddingModelId, actual.EmbeddingModelId);
        Assert.Equal(expected.Models, actual.Models);
        Assert.Equal(expected.Groups, actual.Groups);
        Assert.Equal(expected.CentroidGroups, actual.CentroidGroups);
        Assert.Equal(expected.Centroids, actual.Centroids);
        Assert.Equal(expected.Cells, actual.Cells);
        Assert.Equal(expected.GroupCells, actual.GroupCells);
        Assert.Equal(expected.Global, actual.Global);
        Assert.Equal(expected.Heads!.Count, actual.Heads!.Count);
        for (var g = 0; g < expected.Heads.Count; g++)
        {
            Assert.Equal(expected.Heads[g].Select(h => h?.Weights), actual.Heads[g].Select(h => h?.Weights));
            Assert.Equal(expected.Heads[g].Select(h => h?.Bias), actual.Heads[g].Select(h => h?.Bias));
        }

        Assert.Equal(expected.Notes, actual.Notes);
    }
}
