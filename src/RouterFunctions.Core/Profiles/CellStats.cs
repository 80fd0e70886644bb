namespace RouterFunctions.Core.Profiles;

/// <summary>Running statistics of one model on one query cluster (or overall).</summary>
public readonly record struct CellStats(double Count, double MeanScore, double MeanCost)
{
    public static CellStats Empty => default;

    /// <summary>Adds one weighted observation (weight = the query's share in this cluster).</summary>
    public CellStats Add(double score, double cost, double weight = 1)
    {
        var count = Count + weight;
        return count <= 0 ? this : new CellStats(
            count,
            MeanScore + ((score - MeanScore) * weight / count),
            MeanCost + ((cost - MeanCost) * weight / count));
    }
}
