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
        var groupBy = new Option<string>("--group-by")
        {
            Description = $"Per-group rows by '{EvalGrouping.Task}' (the row's task) or '{EvalGrouping.Prefix}' (the task before its first '-': mmlu-physics → mmlu).",
            DefaultValueFactory = _ => EvalGrouping.Task,
        };
        var targets = new Option<string[]>("--targets")
        {
            Description = "Mean scores to report the cost at, comma-separated: absolute (0.875) or relative to the best single model " +
                "(best-0.005, resolved per group). Default: 0.85, 0.86, 0.875 and the best single model's score.",
        };
        var excludeFlags = new Option<string[]>("--exclude-flag")
        {
            Description = "Skip rows whose top-level boolean field NAME is true (e.g. contaminated). Repeatable.",
        };
        var decisions = new Option<FileInfo?>("--decisions")
        {
            Description = "Write one JSON line per query and reported setting (the cheapest reaching each target, and cost weights 0, 0.25, 0.5, 1): " +
                "the pick, its predicted quality and cost, its actual score and cost. The folder is created if need be.",
        };
        var command = new Command("eval", "Sweep the cost/quality knob over labelled queries and report AIQ, cost at quality, two-model APGR/CPT and baselines.")
        {
            data, split, profilePath, CliOptions.TextField, CliOptions.TestRatio, CliOptions.ModelDirectory, json, plot, steps, groupBy, targets, excludeFlags, decisions,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Settings first: a typo in --plot, --steps, --targets or --group-by is told at once, not after the embedding.
            var plotPath = parse.GetValue(plot)!.FullName;
            var plotFormat = PlotFormats.ForPath(plotPath);
            var stepCount = parse.GetValue(steps);
            if (stepCount < 2)
            {
                throw new ArgumentException($"--steps must be at least 2 (got {stepCount}): the sweep needs more than the knob's two ends to draw a curve.");
            }

            var targetList = parse.GetValue(targets) is { Length: > 0 } given ? ParseTargets(given) : null;
            var groupOf = EvalGrouping.For(parse.GetValue(groupBy)!);
            var flags = (parse.GetValue(excludeFlags) ?? []).ToHashSet(StringComparer.Ordinal);
            if (flags.Any(string.IsNullOrWhiteSpace))
            {
                throw new ArgumentException("--exclude-flag needs a field name (e.g. --exclude-flag contaminated).");
            }

            var dataPath = parse.GetValue(data)!.FullName;
            var profile = await new FileProfileStore(parse.GetValue(profilePath)!.FullName).GetCurrentAsync(cancellationToken)
                ?? throw new FileNotFoundException($"No profile at {parse.GetValue(profilePath)!.FullName}.");
            var read = CliOptions.ReadRows(parse, data, split);
            var rows = read.Where(r => !r.Flags.Overlaps(flags)).ToList();
            var excluded = new EvalReport.Exclusion([.. flags.Order(StringComparer.Ordinal)], read.Count - rows.Count);
            if (rows.Count == 0)
            {
                throw new ArgumentException($"All {read.Count} rows of split '{parse.GetValue(split)}' in {dataPath} are flagged {string.Join(" or ", excluded.Flags)}: nothing left to evaluate.");
            }

            var names = profile.Models.Select(m => m.Name).ToList();
            DatasetFile.RequireModels(dataPath, rows, names, $"the profile (v{profile.Version}) routes to");
            using var services = CliOptions.Services(parse);
            var embedder = services.Embedder();
            if (embedder.ModelId != profile.EmbeddingModelId)
            {
                throw new ArgumentException($"The profile was trained on '{profile.EmbeddingModelId}' embeddings, not '{embedder.ModelId}'.");
            }

            var estimator = new QualityEstimator(profile);
            RouterEvaluation Evaluate(IReadOnlyList<Estimate> estimates, OutcomeTable table) => targetList is null
                ? RouterEvaluation.Evaluate(estimates, table, estimator.CostScale, steps: stepCount)
                : RouterEvaluation.Evaluate(estimates, table, estimator.CostScale, targetList, stepCount);

            var groups = rows.Select((r, i) => (r.Task, i)).Where(x => x.Task is not null).GroupBy(x => groupOf(x.Task!)).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            var (overall, perGroup, estimates, table) = await CommandProgress.RunAsync(log, "eval", async progress =>
            {
                progress.Lines.Report($"embedding {rows.Count} queries");
                progress.Stages.Report(new StageProgress("embedding", 0, rows.Count));
                var vectors = await embedder.EmbedAllAsync(
                    [.. rows.Select(r => r.Text)],
                    new InlineProgress<int>(done => progress.Stages.Report(new StageProgress("embedding", done, rows.Count))),
                    cancellationToken: cancellationToken);
                var estimates = vectors.Select(v => estimator.Estimate(v)).ToList();

                // One sweep over all rows, then one per group.
                progress.Stages.Report(new StageProgress("sweeping", 0, groups.Count + 1));
                var table = new OutcomeTable(names, [.. rows.Select(r => r.Results)]);
                var overall = Evaluate(estimates, table);
                progress.Stages.Report(new StageProgress("sweeping", 1, groups.Count + 1));
                var perGroup = new List<(string Group, RouterEvaluation Evaluation)>();
                foreach (var g in groups)
                {
                    var index = g.Select(x => x.i).ToList();
                    perGroup.Add((g.Key, Evaluate([.. index.Select(i => estimates[i])], table.Subset(index))));
                    progress.Stages.Report(new StageProgress("sweeping", perGroup.Count + 1, groups.Count + 1));
                }

                return (overall, perGroup, estimates, table);
            });

            CostQualityPlot.Write(overall, $"{rows.Count} queries ({parse.GetValue(split)}), profile v{profile.Version}", plotPath, plotFormat);
            EvalReport.DecisionsFile? written = null;
            if (parse.GetValue(decisions)?.FullName is { } decisionsPath)
            {
                var settings = EvalDecisions.Settings(overall, estimates, table, estimator.CostScale);
                written = new(decisionsPath, EvalDecisions.Write(decisionsPath, rows, estimates, names, settings), settings.Count);
            }

            var notes = new EvalReport.Notes(parse.GetValue(groupBy)!, targetList, excluded, written);
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(EvalReport.ToJson(overall, perGroup, profile, plotPath, notes), EvalReport.JsonOptions));
            }
            else
            {
                EvalReport.Print(output, overall, perGroup, profile, plotPath, notes);
            }

            return 0;
        });
        return command;
    }

    private static IReadOnlyList<ScoreTarget> ParseTargets(string[] given)
    {
        try
        {
            return ScoreTarget.ParseList(given);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"--targets: {e.Message}", e);
        }
    }
}
