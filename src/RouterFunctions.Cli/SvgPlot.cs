using System.Globalization;
using System.Text;
using RouterFunctions.Core.Metrics;

namespace RouterFunctions.Cli;

/// <summary>A dependency-free cost–quality chart: the router's curve, each single model, the oracle. Cost on a log axis.</summary>
internal static class SvgPlot
{
    private const double Width = 760, Height = 480, Left = 70, Right = 200, Top = 30, Bottom = 50;

    public static string Render(RouterEvaluation evaluation, string title)
    {
        var b = evaluation.Baselines;
        var router = Aiq.UpperHull(evaluation.Sweep.Select(p => p.Point).Append(b.Cheapest));
        var all = evaluation.Sweep.Select(p => p.Point).Concat(b.SingleModels.Select(s => s.Point)).Append(b.Oracle).ToList();
        var (xMin, xMax) = (Math.Log10(all.Min(p => p.Cost) * 1000) - 0.1, Math.Log10(all.Max(p => p.Cost) * 1000) + 0.1);
        var (yMin, yMax) = (Math.Floor(all.Min(p => p.Score) * 20) / 20, 1.0);
        double X(double cost) => Left + ((Math.Log10(cost * 1000) - xMin) / (xMax - xMin) * (Width - Left - Right));
        double Y(double score) => Height - Bottom - ((score - yMin) / (yMax - yMin) * (Height - Top - Bottom));
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"18\" font-size=\"13\">{Escape(title)}</text>\n");
        for (var decade = Math.Ceiling(xMin); decade <= xMax; decade++)
        {
            var x = X(Math.Pow(10, decade) / 1000);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{Top}\" x2=\"{F(x)}\" y2=\"{Height - Bottom}\" stroke=\"#ddd\"/><text x=\"{F(x)}\" y=\"{Height - Bottom + 15}\" text-anchor=\"middle\">${Math.Pow(10, decade).ToString("0.###", CultureInfo.InvariantCulture)}</text>\n");
        }

        for (var s = yMin; s <= yMax + 1e-9; s += 0.05)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(Y(s))}\" x2=\"{Width - Right}\" y2=\"{F(Y(s))}\" stroke=\"#ddd\"/><text x=\"{Left - 5}\" y=\"{F(Y(s) + 4)}\" text-anchor=\"end\">{s:0.00}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F((Left + Width - Right) / 2)}\" y=\"{Height - 12}\" text-anchor=\"middle\">cost per 1k queries (USD, log scale)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16,{F(Height / 2)}) rotate(-90)\" text-anchor=\"middle\">mean score</text>\n");
        svg.Append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"")
            .AppendJoin(' ', router.Select(p => $"{F(X(p.Cost))},{F(Y(p.Score))}")).Append("\"/>\n");
        foreach (var p in evaluation.Sweep.Select(p => p.Point).Distinct())
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(p.Cost))}\" cy=\"{F(Y(p.Score))}\" r=\"1.5\" fill=\"#1f77b4\"/>\n");
        }

        foreach (var (model, p) in b.SingleModels)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(p.Cost))}\" cy=\"{F(Y(p.Score))}\" r=\"4\" fill=\"#d62728\"/><text x=\"{F(X(p.Cost) + 6)}\" y=\"{F(Y(p.Score) + 4)}\" fill=\"#d62728\">{Escape(model)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(X(b.Oracle.Cost) - 4)}\" y=\"{F(Y(b.Oracle.Score) - 4)}\" width=\"8\" height=\"8\" fill=\"#2ca02c\"/><text x=\"{F(X(b.Oracle.Cost) + 7)}\" y=\"{F(Y(b.Oracle.Score) + 4)}\" fill=\"#2ca02c\">oracle</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 250}\" y=\"{Height - Bottom - 26}\" fill=\"#1f77b4\">router (AIQ {evaluation.Aiq:F4})</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 250}\" y=\"{Height - Bottom - 10}\" fill=\"#d62728\">single models (zero router {b.ZeroRouterAiq:F4})</text>\n");
        return svg.Append("</svg>\n").ToString();
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? "";
}
