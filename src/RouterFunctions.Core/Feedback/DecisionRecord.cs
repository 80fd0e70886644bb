using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Feedback;

/// <summary>What the router decided for a request, kept so feedback can be attributed without embedding again.</summary>
public sealed record DecisionRecord(
    string RequestId,
    int ProfileVersion,
    string Model,
    IReadOnlyList<ClusterWeight> Clusters,
    float[] Embedding,
    DateTimeOffset At);
