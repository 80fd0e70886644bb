using System.Globalization;
using RouterFunctions.Core.Metrics;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace RouterFunctions.Cli;

/// <summary>
/// The cost–quality chart eval writes: the router's curve (upper hull of the knob sweep), each single model and the
/// oracle, cost per 1k queries on a log axis. PNG or SVG, by ScottPlot (SkiaSharp).
/// </summary>
internal static class CostQualityPlot
{
    private const int Width = 900, Height = 560;
    private static readonly Color RouterColor = Color.FromHex("#1f77b4"), ModelColor = Color.FromHex("#d62728"), OracleColor = Color.FromHex("#2ca02c");

    /// <summary>Writes the chart to <paramref name="path"/> in <paramref name="format"/>, creating its folder if need be.</summary>
    public static void Write(RouterEvaluation evaluation, string title, string path, PlotFormat format)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        using var plot = Build(evaluation, title);
        _ = format switch
        {
            PlotFormat.Png => plot.SavePng(path, Width, Height),
            PlotFormat.Svg => plot.SaveSvg(path, Width, Height),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    private static Plot Build(RouterEvaluation evaluation, string title)
    {
        var b = evaluation.Baselines;
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("cost per 1k queries (USD, log scale)");
        plot.YLabel("mean score");

        // ScottPlot has no log axis: plot log10(cost per 1k) and label the ticks with the costs themselves.
        static double X(CurvePoint p) => Math.Log10(Math.Max(p.Cost * 1000, 1e-9));
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = x => "$" + Math.Pow(10, x).ToString("0.###", CultureInfo.InvariantCulture),
        };

        var sweep = evaluation.Sweep.Select(p => p.Point).Distinct().ToList();
        var dots = plot.Add.ScatterPoints(sweep.Select(X).ToArray(), sweep.Select(p => p.Score).ToArray(), RouterColor);
        dots.MarkerSize = 3;
        var hull = Aiq.UpperHull(sweep.Append(b.Cheapest));
        var curve = plot.Add.ScatterLine(hull.Select(X).ToArray(), hull.Select(p => p.Score).ToArray(), RouterColor);
        curve.LineWidth = 2;
        curve.LegendText = FormattableString.Invariant($"router (AIQ {evaluation.Aiq:F4})");

        var singles = plot.Add.ScatterPoints(b.SingleModels.Select(s => X(s.Point)).ToArray(), b.SingleModels.Select(s => s.Point.Score).ToArray(), ModelColor);
        singles.MarkerSize = 8;
        singles.LegendText = FormattableString.Invariant($"single models (zero router AIQ {b.ZeroRouterAiq:F4})");
        foreach (var (model, point) in b.SingleModels)
        {
            var label = plot.Add.Text(model, X(point), point.Score);
            label.LabelFontColor = ModelColor;
            label.LabelFontSize = 11;
            label.OffsetX = 6;
        }

        var oracle = plot.Add.Marker(X(b.Oracle), b.Oracle.Score, MarkerShape.FilledSquare, 10, OracleColor);
        oracle.LegendText = "oracle";
        plot.ShowLegend(Alignment.LowerRight);

        // Room on the right for the name beside the dearest model's dot.
        plot.Axes.Margins(left: 0.05, right: 0.25, bottom: 0.08, top: 0.08);
        return plot;
    }
}
