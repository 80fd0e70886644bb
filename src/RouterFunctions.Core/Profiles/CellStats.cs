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

    /// <summary>The statistics of both sets of observations together (as if all were added to one).</summary>
    public CellStats Combine(CellStats other)
    {
        var count = Count + other.Count;
        return other.Count <= 0 ? this : Count <= 0 ? other : new CellStats(
            count,
            MeanScore + ((other.MeanScore - MeanScore) * other.Count / count),
            MeanCost + ((other.MeanCost - MeanCost) * other.Count / count));
    }
}
