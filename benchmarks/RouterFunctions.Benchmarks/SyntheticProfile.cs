using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Benchmarks;

/// <summary>A profile of a given size with random unit centroids, statistics and heads: the shape of a trained one.</summary>
internal static class SyntheticProfile
{
    public static RoutingProfile Create(int centroids, int models = 11, int groups = 3, int dimensions = 512, int seed = 1)
    {
        var random = new Random(seed);
        var descriptors = Enumerable.Range(0, models).Select(m => new ModelDescriptor { Name = $"model-{m}", InputPricePerMillion = 0.2 * (m + 1), OutputPricePerMillion = 0.6 * (m + 1) }).ToList();
        return new RoutingProfile
        {
            EmbeddingModelId = "use-lite-int8",
            Models = descriptors,
            Groups = [.. Enumerable.Range(0, groups).Select(g => $"group-{g}")],
            Centroids = [.. Enumerable.Range(0, centroids).Select(_ => UnitVector(random, dimensions))],
            CentroidGroups = [.. Enumerable.Range(0, centroids).Select(c => c % groups)],
            Cells = [.. Enumerable.Range(0, centroids).Select(_ => Stats(random, models))],
            GroupCells = [.. Enumerable.Range(0, groups).Select(_ => Stats(random, models))],
            Global = Stats(random, models),
            Heads = [.. Enumerable.Range(0, groups).Select(_ => Enumerable.Range(0, models).Select(_ => (LogisticHead?)new LogisticHead(UnitVector(random, dimensions), random.NextDouble())).ToArray())],
            Scorer = new ScorerSettings { Kind = ScorerKind.GroupLogistic, TopK = 1 },
        };
    }

    public static float[] UnitVector(Random random, int dimensions)
    {
        var v = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    private static CellStats[] Stats(Random random, int models) =>
        [.. Enumerable.Range(0, models).Select(m => new CellStats(50, random.NextDouble(), 1e-4 * (m + 1)))];
}
