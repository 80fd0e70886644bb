using System.CommandLine;
using System.Text.Json;
using RouterFunctions.Application;
using RouterFunctions.Core.Metrics;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Cli;

internal static class EvalCommand
{
    public static Command Create(TextWriter output, TextWriter log)
    {
        var data = CliOptions.Data();
        var split = CliOptions.Split("test");
        var profilePath = new Option<FileInfo>("--profile") { Description = "The profile to evaluate (from 'train').", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the report." };
        var plot = new Option<FileInfo>("--plot") { Description = "Where to write the SVG cost–quality plot.", DefaultValueFactory = _ => new FileInfo("eval.svg") };
        var steps = new Option<int>("--steps") { Description = "Cost-weight knob settings swept, evenly over 0..1.", DefaultValueFactory = _ => 2000 };
        var command = new Command("eval", "Sweep the cost/quality knob over labelled queries and report AIQ, cost at quality and baselines.")
        {
            data, split, profilePath, CliOptions.TextField, CliOptions.TestRatio, CliOptions.ModelDirectory, json, plot, steps,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var profile = await new FileProfileStore(parse.GetValue(profilePath)!.FullName).GetCurrentAsync(cancellationToken)
                ?? throw new FileNotFoundException($"No profile at {parse.GetValue(profilePath)!.FullName}.");
            var rows = CliOptions.ReadRows(parse, data, split);
            using var services = CliOptions.Services(parse);
            var embedder = services.Embedder();
            if (embedder.ModelId != profile.EmbeddingModelId)
            {
                throw new ArgumentException($"The profile was trained on '{profile.EmbeddingModelId}' embeddings, not '{embedder.ModelId}'.");
            }

            log.WriteLine($"[eval] embedding {rows.Count} queries");
            var vectors = await embedder.EmbedAllAsync([.. rows.Select(r => r.Text)], cancellationToken: cancellationToken);
            var estimator = new QualityEstimator(profile);
            var estimates = vectors.Select(v => estimator.Estimate(v)).ToList();
            var names = profile.Models.Select(m => m.Name).ToList();
            var stepCount = parse.GetValue(steps);
            var overall = RouterEvaluation.Evaluate(estimates, new OutcomeTable(names, [.. rows.Select(r => r.Results)]), estimator.CostScale, steps: stepCount);
            var perTask = rows.Select((r, i) => (r.Task, i)).Where(x => x.Task is not null).GroupBy(x => x.Task!).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g =>
                {
                    var index = g.Select(x => x.i).ToList();
                    var table = new OutcomeTable(names, [.. index.Select(i => rows[i].Results)]);
                    return (Task: g.Key, Evaluation: RouterEvaluation.Evaluate([.. index.Select(i => estimates[i])], table, estimator.CostScale, steps: stepCount));
                }).ToList();

            var plotPath = parse.GetValue(plot)!.FullName;
            await File.WriteAllTextAsync(plotPath, SvgPlot.Render(overall, $"{rows.Count} queries ({parse.GetValue(split)}), profile v{profile.Version}"), cancellationToken);
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(EvalReport.ToJson(overall, perTask, profile, plotPath), EvalReport.JsonOptions));
            }
            else
            {
                EvalReport.Print(output, overall, perTask, profile, plotPath);
            }

            return 0;
        });
        return command;
    }
}
