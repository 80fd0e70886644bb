namespace RouterFunctions.Core.Routing;

/// <summary>A query's share of one cluster.</summary>
public readonly record struct ClusterWeight(int Cluster, double Weight);

/// <summary>
/// Per-model predicted quality and cost for one query (indexed like the profile's models), and where the
/// query fell: its cluster weights and the squared distance to the nearest centroid.
/// </summary>
public sealed record Estimate(double[] Quality, double[] Cost, ClusterWeight[] Clusters, double NearestDistance)
{
    public int NearestCluster => Clusters[0].Cluster;

    /// <summary>
    /// A model the policy must pick whenever it is allowed and within budget (a group on its best single model).
    /// Pinning, rather than pushing the other models' predicted quality down, keeps every prediction an honest 0..1 value.
    /// </summary>
    public int? Pinned { get; init; }
}
