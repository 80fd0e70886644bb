using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Metrics;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Cli;

/// <summary>
/// eval's --decisions file: one JSON line per (query, reported knob setting) with what the router predicted for its pick
/// and what the pick actually scored and cost. Only the settings the report speaks of (the cheapest reaching each
/// target, and a few fixed cost weights), not the whole sweep: thousands of settings × every query would be unreadable.
/// </summary>
internal static class EvalDecisions
{
    public static readonly IReadOnlyList<double> FixedCostWeights = [0, 0.25, 0.5, 1];

    // Relaxed escaping: the lines are read by people and jq, and "score>=0.875" should not come out as "score\u003E=0.875".
    private static readonly JsonSerializerOptions LineOptions = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed record Setting(string Name, double CostWeight, int[] Picks);

    /// <summary>The settings reported: for each target the cheapest sweep point reaching it (if any), then <see cref="FixedCostWeights"/>.</summary>
    public static IReadOnlyList<Setting> Settings(RouterEvaluation overall, IReadOnlyList<Estimate> estimates, OutcomeTable table, CostScale scale)
    {
        ArgumentNullException.ThrowIfNull(overall);
        var reached = overall.CostAt.Keys
            .Select(q => (q, Point: overall.CheapestReaching(q)))
            .Where(x => x.Point is not null)
            .Select(x => new Setting(string.Create(CultureInfo.InvariantCulture, $"score>={x.q:0.####}"), x.Point!.CostWeight, x.Point.Picks));
        var fixedWeights = RouterSweep.Run(estimates, table, scale, FixedCostWeights)
            .Select(p => new Setting(string.Create(CultureInfo.InvariantCulture, $"costWeight={p.CostWeight:0.##}"), p.CostWeight, p.Picks));
        return [.. reached, .. fixedWeights];
    }

    /// <summary>Writes the lines; the folder is created if need be. Returns how many lines were written.</summary>
    public static int Write(
        string path, IReadOnlyList<LabeledQuery> rows, IReadOnlyList<Estimate> estimates, IReadOnlyList<string> models, IReadOnlyList<Setting> settings)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(settings);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        using var writer = new StreamWriter(path);
        var lines = 0;
        foreach (var setting in settings)
        {
            for (var q = 0; q < rows.Count; q++)
            {
                var m = setting.Picks[q];
                var actual = rows[q].Results[models[m]];
                writer.WriteLine(JsonSerializer.Serialize(
                    new
                    {
                        query = rows[q].Id,
                        task = rows[q].Task,
                        setting = setting.Name,
                        costWeight = setting.CostWeight,
                        model = models[m],
                        predictedQuality = estimates[q].Quality[m],
                        predictedCost = estimates[q].Cost[m],
                        score = actual.Score,
                        cost = actual.Cost,
                    },
                    LineOptions));
                lines++;
            }
        }

        return lines;
    }
}
