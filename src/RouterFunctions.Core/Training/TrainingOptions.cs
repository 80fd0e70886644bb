using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Training;

public sealed record TrainingOptions
{
    /// <summary>Fine clusters within each group (k of the per-group k-means).</summary>
    public int ClustersPerGroup { get; init; } = 4;

    /// <summary>
    /// Whether the data's task labels, when every example has one, are the groups; false (or no labels): coarse
    /// k-means clusters of the embeddings are. Cross-validation tries both (<see cref="SearchSpace.TaskGroups"/>):
    /// a label says where a query came from, not which model answers it, so clusters can serve routing better.
    /// </summary>
    public bool TaskGroups { get; init; } = true;

    /// <summary>Coarse clusters to use as groups when the data has no task labels (or they are not used).</summary>
    public int Groups { get; init; } = 4;

    public int Seed { get; init; } = 42;

    public ScorerSettings Scorer { get; init; } = new();

    /// <summary>Share of training queries whose nearest-centroid distance sets the out-of-distribution threshold.</summary>
    public double OodQuantile { get; init; } = 0.99;

    /// <summary>Multiplies that distance: only clearly farther queries are flagged.</summary>
    public double OodMargin { get; init; } = 1.25;

    public string? FallbackModel { get; init; }

    public int Version { get; init; } = 1;

    public DateTimeOffset CreatedAt { get; init; }
}
