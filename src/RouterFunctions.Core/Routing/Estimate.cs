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
}
