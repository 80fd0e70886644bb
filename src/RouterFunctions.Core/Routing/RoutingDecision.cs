namespace RouterFunctions.Core.Routing;

public sealed record Candidate(string Model, double PredictedQuality, double PredictedCost, double Utility);

/// <summary>The model to call and why: every candidate's prediction, where the query fell, and the profile used.</summary>
public sealed record RoutingDecision(
    string Model,
    IReadOnlyList<Candidate> Candidates,
    int Cluster,
    IReadOnlyList<ClusterWeight> ClusterWeights,
    double Distance,
    bool OutOfDistribution,
    int ProfileVersion)
{
    /// <summary>The probability that the router chose <see cref="Model"/> for this query: 1 without exploration.</summary>
    public double Propensity { get; init; } = 1;

    /// <summary>Whether exploration replaced the greedy pick.</summary>
    public bool Explored { get; init; }

    /// <summary>Predicted USD the explored pick costs over the greedy one (0 when not explored).</summary>
    public double ExplorationCost { get; init; }
}
