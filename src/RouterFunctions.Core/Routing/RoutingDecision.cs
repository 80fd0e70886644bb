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
    int ProfileVersion);
