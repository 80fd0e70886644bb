using System.Globalization;
using RouterFunctions.Application.Simulation;
using ScottPlot;

namespace RouterFunctions.Cli;

/// <summary>simulate's chart: the router's test AIQ after each checkpoint against events, beside the full-information profile's.</summary>
internal static class LearningCurvePlot
{
    private const int Width = 900, Height = 560;
    private static readonly Color RouterColor = Color.FromHex("#1f77b4"), FullColor = Color.FromHex("#2ca02c");

    /// <summary>Writes the chart to <paramref name="path"/> in <paramref name="format"/>, creating its folder if need be.</summary>
    public static void Write(SimulationResult result, string title, string path, PlotFormat format)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        using var plot = new Plot();
        plot.Title(title);
        plot.XLabel("feedback events");
        plot.YLabel("test AIQ");
        var curve = plot.Add.Scatter(result.Checkpoints.Select(p => (double)p.Events).ToArray(), result.Checkpoints.Select(p => p.TestAiq).ToArray(), RouterColor);
        curve.LineWidth = 2;
        curve.MarkerSize = 6;
        curve.LegendText = string.Create(CultureInfo.InvariantCulture, $"simulated router (final {result.Checkpoints[^1].TestAiq:F4})");
        var full = plot.Add.HorizontalLine(result.FullInformationAiq, 2, FullColor, LinePattern.Dashed);
        full.LegendText = string.Create(CultureInfo.InvariantCulture, $"full information ({result.FullInformationAiq:F4})");
        // Room under the curve for the legend: a router that learns ends on the right, near the full-information line.
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.Margins(left: 0.05, right: 0.05, bottom: 0.3, top: 0.1);
        _ = format switch
        {
            PlotFormat.Png => plot.SavePng(path, Width, Height),
            PlotFormat.Svg => plot.SaveSvg(path, Width, Height),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }
}
