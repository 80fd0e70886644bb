namespace RouterFunctions.Core.Metrics;

public static class CostAtQuality
{
    /// <summary>The lowest mean cost among the points that reach mean score ≥ <paramref name="quality"/>, or null.</summary>
    public static double? Lowest(IEnumerable<CurvePoint> points, double quality)
    {
        double? best = null;
        foreach (var p in points)
        {
            // Scores are means of 0/1 grades over hundreds of queries: compare with a tolerance for rounding.
            if (p.Score >= quality - 1e-9 && (best is null || p.Cost < best))
            {
                best = p.Cost;
            }
        }

        return best;
    }
}
