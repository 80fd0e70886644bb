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
        var plot = new Option<FileInfo>("--plot")
        {
            Description = "Where to write the cost–quality plot: .png or .svg (the folder is created if need be).",
            DefaultValueFactory = _ => new FileInfo("eval.svg"),
        };
        var steps = new Option<int>("--steps") { Description = "Cost-weight knob steps swept, evenly over 0..1 (at least 2).", DefaultValueFactory = _ => 2000 };
        var command = new Command("eval", "Sweep the cost/quality knob over labelled queries and report AIQ, cost at quality and baselines.")
        {
            data, split, profilePath, CliOptions.TextField, CliOptions.TestRatio, CliOptions.ModelDirectory, json, plot, steps,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Settings first: a typo in --plot or --steps is told at once, not after the embedding.
            var plotPath = parse.GetValue(plot)!.FullName;
            var plotFormat = PlotFormats.ForPath(plotPath);
            var stepCount = parse.GetValue(steps);
            if (stepCount < 2)
            {
                throw new ArgumentException($"--steps must be at least 2 (got {stepCount}): the sweep needs more than the knob's two ends to draw a curve.");
            }

            var profile = await new FileProfileStore(parse.GetValue(profilePath)!.FullName).GetCurrentAsync(cancellationToken)
                ?? throw new FileNotFoundException($"No profile at {parse.GetValue(profilePath)!.FullName}.");
            var rows = CliOptions.ReadRows(parse, data, split);
            using var services = CliOptions.Services(parse);
            var embedder = services.Embedder();
            if (embedder.ModelId != profile.EmbeddingModelId)
            {
                throw new ArgumentException($"The profile was trained on '{profile.EmbeddingModelId}' embeddings, not '{embedder.ModelId}'.");
            }

            var names = profile.Models.Select(m => m.Name).ToList();
            var estimator = new QualityEstimator(profile);
            var tasks = rows.Select((r, i) => (r.Task, i)).Where(x => x.Task is not null).GroupBy(x => x.Task!).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            var (overall, perTask) = await CommandProgress.RunAsync(log, "eval", async progress =>
            {
                progress.Lines.Report($"embedding {rows.Count} queries");
                progress.Stages.Report(new StageProgress("embedding", 0, rows.Count));
                var vectors = await embedder.EmbedAllAsync(
                    [.. rows.Select(r => r.Text)],
                    new InlineProgress<int>(done => progress.Stages.Report(new StageProgress("embedding", done, rows.Count))),
                    cancellationToken: cancellationToken);
                var estimates = vectors.Select(v => estimator.Estimate(v)).ToList();

                // One sweep over all rows, then one per task.
                progress.Stages.Report(new StageProgress("sweeping", 0, tasks.Count + 1));
                var overall = RouterEvaluation.Evaluate(estimates, new OutcomeTable(names, [.. rows.Select(r => r.Results)]), estimator.CostScale, steps: stepCount);
                progress.Stages.Report(new StageProgress("sweeping", 1, tasks.Count + 1));
                var perTask = new List<(string Task, RouterEvaluation Evaluation)>();
                foreach (var g in tasks)
                {
                    var index = g.Select(x => x.i).ToList();
                    var table = new OutcomeTable(names, [.. index.Select(i => rows[i].Results)]);
                    perTask.Add((g.Key, RouterEvaluation.Evaluate([.. index.Select(i => estimates[i])], table, estimator.CostScale, steps: stepCount)));
                    progress.Stages.Report(new StageProgress("sweeping", perTask.Count + 1, tasks.Count + 1));
                }

                return (overall, perTask);
            });

            CostQualityPlot.Write(overall, $"{rows.Count} queries ({parse.GetValue(split)}), profile v{profile.Version}", plotPath, plotFormat);
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
