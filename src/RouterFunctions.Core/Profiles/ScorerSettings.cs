namespace RouterFunctions.Core.Profiles;

public enum ScorerKind
{
    /// <summary>Quality from the (cluster, model) statistics of the nearest centroids.</summary>
    Centroids,

    /// <summary>Quality from a logistic regression per (group, model) on the embedding; the nearest centroid picks the group.</summary>
    GroupLogistic,
}

/// <summary>How a query's position turns the profile's statistics into predictions.</summary>
public sealed record ScorerSettings
{
    public ScorerKind Kind { get; init; } = ScorerKind.Centroids;

    /// <summary>How many nearest centroids share the query (soft assignment).</summary>
    public int TopK { get; init; } = 3;

    /// <summary>Softmax temperature over squared distances; smaller is sharper.</summary>
    public double Temperature { get; init; } = 0.05;

    /// <summary>Pseudo-count pulling a cluster's mean toward its group's, and a group's toward the model's global mean.</summary>
    public double Shrinkage { get; init; } = 10;

    /// <summary>Inverse L2 strength of the logistic heads (C in 0.5‖w‖² + C·Σ log-loss).</summary>
    public double Regularization { get; init; } = 0.1;
}
