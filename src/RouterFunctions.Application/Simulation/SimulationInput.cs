using RouterFunctions.Core.Data;
using RouterFunctions.Core.Metrics;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Application.Simulation;

/// <summary>What a traffic simulation replays and how: graded train queries as traffic, test queries to measure on.</summary>
public sealed record SimulationInput
{
    public required IReadOnlyList<LabeledQuery> Train { get; init; }

    public required IReadOnlyList<LabeledQuery> Test { get; init; }

    public required IReadOnlyList<ModelDescriptor> Models { get; init; }

    /// <summary>The embedding model's id the profiles record (the router refuses a profile trained on another).</summary>
    public required string EmbeddingModelId { get; init; }

    /// <summary>Share of the train split the seed profile is trained on, in (0, 1); the rest is replayed as traffic.</summary>
    public double SeedFraction { get; init; } = 0.1;

    /// <summary>Retrain-and-measure points, evenly spaced over the replayed events.</summary>
    public int Checkpoints { get; init; } = 10;

    /// <summary>The mean score the cost is reported at.</summary>
    public ScoreTarget Target { get; init; } = new(0.875, RelativeToBest: false);

    /// <summary>Seeds the seed/traffic split, the traffic's order and training's folds and k-means.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>A model left out of the seed data (descriptor and prices only), as a newly added model would be.</summary>
    public string? ColdModel { get; init; }

    /// <summary>Cost-weight knob steps of the AIQ sweep (eval's default).</summary>
    public int Steps { get; init; } = 2000;

    /// <summary>The scorer settings the seed and full-information trainings choose among.</summary>
    public SearchSpace Space { get; init; } = new();
}
