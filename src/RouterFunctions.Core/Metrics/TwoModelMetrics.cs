namespace RouterFunctions.Core.Metrics;

/// <summary>
/// RouteLLM's strong-vs-weak metrics (arXiv 2406.18665, docs/metrics.md). A router point is (x, score) with x the
/// share of calls sent to the strong model; PGR(x) = (score − weak) / (strong − weak). The curve is anchored at
/// (0, 0) (all weak) and (1, 1) (all strong) and taken as its non-decreasing upper hull, as AIQ is: mixing two
/// settings at random reaches every point between them, so the router is credited with what it can reach.
/// </summary>
public sealed record TwoModelMetrics(
    string Strong,
    string Weak,
    double StrongScore,
    double WeakScore,
    IReadOnlyList<CurvePoint> PgrCurve,
    double Apgr)
{
    /// <summary>The quality gaps CPT is reported at by default: 50% and 80%.</summary>
    public static IReadOnlyList<double> DefaultCptLevels { get; } = [0.5, 0.8];

    /// <summary>
    /// The metrics of a sweep on a two-model table, or null when the table does not have exactly two models or they
    /// score the same (no gap to recover: PGR is undefined).
    /// </summary>
    public static TwoModelMetrics? Compute(OutcomeTable table, IEnumerable<SweepPoint> sweep)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sweep);
        if (table.Models.Count != 2 || table.Count == 0)
        {
            return null;
        }

        var a = table.AllTo(0).Score;
        var b = table.AllTo(1).Score;
        if (a == b)
        {
            return null;
        }

        var strong = a > b ? 0 : 1;
        var points = sweep.Select(p => new CurvePoint(StrongShare(p.Picks, strong), p.Point.Score));
        return FromPoints(table.Models[strong], table.Models[1 - strong], Math.Max(a, b), Math.Min(a, b), points);
    }

    /// <summary>The metrics of router points given as (share to strong, mean score) in <see cref="CurvePoint"/>'s (Cost, Score).</summary>
    public static TwoModelMetrics FromPoints(string strong, string weak, double strongScore, double weakScore, IEnumerable<CurvePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (!(strongScore > weakScore))
        {
            throw new ArgumentException("The strong model must score above the weak one.", nameof(strongScore));
        }

        var gap = strongScore - weakScore;
        var pgr = points.Select(p => new CurvePoint(Math.Clamp(p.Cost, 0, 1), (p.Score - weakScore) / gap))
            .Append(new CurvePoint(0, 0))
            .Append(new CurvePoint(1, 1));
        var hull = Aiq.UpperHull(pgr);
        return new TwoModelMetrics(strong, weak, strongScore, weakScore, hull, Aiq.Compute(hull, 0, 1));
    }

    /// <summary>CPT(p): the smallest share of calls to the strong model at which the curve reaches PGR ≥ <paramref name="level"/>.</summary>
    public double? Cpt(double level)
    {
        for (var i = 0; i < PgrCurve.Count; i++)
        {
            var p = PgrCurve[i];
            if (p.Score >= level - 1e-12)
            {
                if (i == 0)
                {
                    return p.Cost;
                }

                // Between two hull points the curve is their random mix: interpolate.
                var q = PgrCurve[i - 1];
                return q.Cost + ((p.Cost - q.Cost) * (level - q.Score) / (p.Score - q.Score));
            }
        }

        return null;
    }

    private static double StrongShare(int[] picks, int strong) =>
        picks.Length == 0 ? 0 : (double)picks.Count(p => p == strong) / picks.Length;
}
