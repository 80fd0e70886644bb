namespace RouterFunctions.Core.Metrics;

public static class CostAtQuality
{
    /// <summary>The lowest mean cost among the points that reach mean score ≥ <paramref name="quality"/>, or null.</summary>
    public static double? Lowest(IEnumerable<CurvePoint> points, double quality)
    {
        var list = points as IReadOnlyList<CurvePoint> ?? [.. points];
        var i = CheapestIndex(list, quality);
        return i < 0 ? null : list[i].Cost;
    }

    /// <summary>The index of the point that reaches mean score ≥ <paramref name="quality"/> at the lowest cost (the first on ties), or -1.</summary>
    public static int CheapestIndex(IReadOnlyList<CurvePoint> points, double quality)
    {
        ArgumentNullException.ThrowIfNull(points);
        var best = -1;
        for (var i = 0; i < points.Count; i++)
        {
            // Scores are means of 0/1 grades over hundreds of queries: compare with a tolerance for rounding.
            if (points[i].Score >= quality - 1e-9 && (best < 0 || points[i].Cost < points[best].Cost))
            {
                best = i;
            }
        }

        return best;
    }
}
