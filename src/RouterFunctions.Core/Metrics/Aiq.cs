namespace RouterFunctions.Core.Metrics;

/// <summary>
/// Average Improvement in Quality (RouterBench, arXiv 2403.12031): the area under the non-decreasing upper convex
/// hull of a router's (cost, score) points between two costs, divided by that cost range. Mixing two
/// configurations at random reaches any point on the segment between them, hence the hull.
/// </summary>
public static class Aiq
{
    /// <summary>
    /// Integrates from <paramref name="minCost"/> to <paramref name="maxCost"/>. Below the cheapest point the curve is 0
    /// (callers anchor it with a configuration that costs <paramref name="minCost"/>); above the dearest it stays flat.
    /// </summary>
    public static double Compute(IEnumerable<CurvePoint> points, double minCost, double maxCost)
    {
        if (!(maxCost > minCost))
        {
            throw new ArgumentException("maxCost must exceed minCost.", nameof(maxCost));
        }

        var hull = UpperHull(points);
        if (hull.Count == 0)
        {
            return 0;
        }

        var area = 0.0;
        for (var i = 0; i < hull.Count; i++)
        {
            var (x0, y0) = (hull[i].Cost, hull[i].Score);
            var (x1, y1) = i + 1 < hull.Count ? (hull[i + 1].Cost, hull[i + 1].Score) : (Math.Max(maxCost, x0), y0);
            area += SegmentArea(x0, y0, x1, y1, minCost, maxCost);
        }

        return area / (maxCost - minCost);
    }

    /// <summary>The upper convex hull, cut where the score stops rising: more cost for less score is never taken.</summary>
    public static IReadOnlyList<CurvePoint> UpperHull(IEnumerable<CurvePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var sorted = points.Where(p => double.IsFinite(p.Cost) && double.IsFinite(p.Score))
            .OrderBy(p => p.Cost).ThenByDescending(p => p.Score).ToList();
        var hull = new List<CurvePoint>();
        foreach (var p in sorted)
        {
            if (hull.Count > 0 && p.Score <= hull[^1].Score)
            {
                continue;
            }

            while (hull.Count >= 2 && Cross(hull[^2], hull[^1], p) >= 0)
            {
                hull.RemoveAt(hull.Count - 1);
            }

            hull.Add(p);
        }

        return hull;
    }

    // > 0 when b lies below the segment a→c, so b is not on the upper hull.
    private static double Cross(CurvePoint a, CurvePoint b, CurvePoint c) =>
        ((b.Cost - a.Cost) * (c.Score - a.Score)) - ((b.Score - a.Score) * (c.Cost - a.Cost));

    private static double SegmentArea(double x0, double y0, double x1, double y1, double lo, double hi)
    {
        var a = Math.Max(x0, lo);
        var b = Math.Min(x1, hi);
        if (b <= a)
        {
            return 0;
        }

        double At(double x) => x1 == x0 ? y0 : y0 + ((y1 - y0) * (x - x0) / (x1 - x0));
        return (b - a) * (At(a) + At(b)) / 2;
    }
}
