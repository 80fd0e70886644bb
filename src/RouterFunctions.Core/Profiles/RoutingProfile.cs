namespace RouterFunctions.Core.Profiles;

/// <summary>
/// An immutable, versioned routing profile. Queries fall into groups (the data's tasks, or coarse clusters when it has
/// none); each group holds fine clusters. The profile keeps the centroids, per (cluster, model) and (group, model)
/// statistics, optional per (group, model) logistic heads, the model descriptors and the scorer's settings:
/// everything a router needs to decide without I/O.
/// </summary>
public sealed record RoutingProfile
{
    public int Version { get; init; } = 1;

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The embedding model the centroids live in; queries must be embedded with the same one.</summary>
    public required string EmbeddingModelId { get; init; }

    public required IReadOnlyList<ModelDescriptor> Models { get; init; }

    /// <summary>Group names (tasks, or "cluster-N").</summary>
    public required IReadOnlyList<string> Groups { get; init; }

    public required IReadOnlyList<float[]> Centroids { get; init; }

    /// <summary>The group each centroid belongs to.</summary>
    public required IReadOnlyList<int> CentroidGroups { get; init; }

    /// <summary>Indexed [cluster][model], models in the order of <see cref="Models"/>.</summary>
    public required IReadOnlyList<CellStats[]> Cells { get; init; }

    /// <summary>Indexed [group][model].</summary>
    public required IReadOnlyList<CellStats[]> GroupCells { get; init; }

    /// <summary>Per model over everything: the last shrinkage target before the descriptor's prior.</summary>
    public required IReadOnlyList<CellStats> Global { get; init; }

    /// <summary>Indexed [group][model]; null where a model had too few or uniform grades to fit one.</summary>
    public IReadOnlyList<LogisticHead?[]>? Heads { get; init; }

    public ScorerSettings Scorer { get; init; } = new();

    /// <summary>
    /// Indexed like <see cref="Groups"/>: where cross-validation found the scorer no better than the group's means or its
    /// best single model, that fallback. Null (profiles from before the field) or a missing entry means the scorer.
    /// </summary>
    public IReadOnlyList<GroupMode>? GroupModes { get; init; }

    /// <summary>The options this profile was trained with; retraining reuses them.</summary>
    public Training.TrainingOptions? Training { get; init; }

    /// <summary>Squared distance to the nearest centroid above which a query counts as out of distribution.</summary>
    public double OodThreshold { get; init; } = double.PositiveInfinity;

    /// <summary>Where out-of-distribution queries go; the highest-quality model when null.</summary>
    public string? FallbackModel { get; init; }

    /// <summary>Free-form notes from training (data, seed, cross-validation scores).</summary>
    public IReadOnlyDictionary<string, string> Notes { get; init; } = new Dictionary<string, string>();

    public int Dimensions => Centroids.Count == 0 ? 0 : Centroids[0].Length;

    /// <summary>The mode of group <paramref name="group"/>: the scorer unless training chose a fallback.</summary>
    public GroupMode ModeOf(int group) => GroupModes is { } modes && group >= 0 && group < modes.Count ? modes[group] : GroupMode.Scorer;

    public int IndexOf(string model)
    {
        for (var i = 0; i < Models.Count; i++)
        {
            if (string.Equals(Models[i].Name, model, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
