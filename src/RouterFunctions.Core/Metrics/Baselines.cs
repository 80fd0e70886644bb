namespace RouterFunctions.Core.Metrics;

/// <summary>The reference routers of docs/metrics.md, computed on one <see cref="OutcomeTable"/>.</summary>
public sealed record Baselines(
    IReadOnlyList<(string Model, CurvePoint Point)> SingleModels,
    string BestSingleModel,
    CurvePoint BestSingle,
    CurvePoint Oracle,
    CurvePoint Random,
    double ZeroRouterAiq)
{
    public double MinCost => SingleModels.Min(s => s.Point.Cost);

    public double MaxCost => SingleModels.Max(s => s.Point.Cost);

    public CurvePoint Cheapest => SingleModels.MinBy(s => s.Point.Cost).Point;

    public static Baselines Compute(OutcomeTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var singles = Enumerable.Range(0, table.Models.Count).Select(m => (table.Models[m], table.AllTo(m))).ToList();
        var best = singles.OrderByDescending(s => s.Item2.Score).ThenBy(s => s.Item2.Cost).First();
        var oracle = new int[table.Count];
        for (var q = 0; q < table.Count; q++)
        {
            for (var m = 1; m < table.Models.Count; m++)
            {
                var better = table.Score[q][m] > table.Score[q][oracle[q]];
                var cheaperTie = table.Score[q][m] == table.Score[q][oracle[q]] && table.Cost[q][m] < table.Cost[q][oracle[q]];
                if (better || cheaperTie)
                {
                    oracle[q] = m;
                }
            }
        }

        var random = new CurvePoint(singles.Average(s => s.Item2.Cost), singles.Average(s => s.Item2.Score));
        var points = singles.Select(s => s.Item2).ToList();
        var zero = Aiq.Compute(points, points.Min(p => p.Cost), points.Max(p => p.Cost));
        return new Baselines(singles, best.Item1, best.Item2, table.Evaluate(oracle), random, zero);
    }
}
