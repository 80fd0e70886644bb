using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Feedback;

/// <summary>What the router decided for a request, kept so feedback can be attributed without embedding again.</summary>
/// <param name="Propensity">How likely the router was to choose <paramref name="Model"/> (1 without exploration): retraining weights feedback by its inverse.</param>
public sealed record DecisionRecord(
    string RequestId,
    int ProfileVersion,
    string Model,
    IReadOnlyList<ClusterWeight> Clusters,
    float[] Embedding,
    DateTimeOffset At,
    double Propensity = 1);
