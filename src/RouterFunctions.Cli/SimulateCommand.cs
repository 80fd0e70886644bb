using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RouterFunctions.Application.Simulation;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Metrics;

namespace RouterFunctions.Cli;

/// <summary>
/// Replays the train split as live traffic through the router's own route → feedback → ingest → retrain path
/// (<see cref="TrafficSimulation"/>) on a local store in a temporary folder, and prints the learning curve.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(TextWriter output, TextWriter log)
    {
        var data = CliOptions.Data();
        var seedFraction = new Option<double>("--seed-fraction")
        {
            Description = "Share of the train split the seed profile is trained on, in (0, 1); the rest is replayed as traffic.",
            DefaultValueFactory = _ => 0.1,
        };
        var checkpoints = new Option<int>("--checkpoints") { Description = "Retrain-and-measure points, evenly spaced over the traffic (at least 1).", DefaultValueFactory = _ => 10 };
        var costWeight = new Option<double?>("--cost-weight") { Description = "The routing policy's cost weight in 0..1 (default: the router's default, Router:DefaultCostWeight)." };
        var target = new Option<string>("--target")
        {
            Description = "Mean score to report the cost at: absolute (0.875) or relative to the best single model on the test split (best-0.005).",
            DefaultValueFactory = _ => "0.875",
        };
        var seed = new Option<int>("--seed") { Description = "Seed for the seed/traffic split, the traffic's order, training and exploration.", DefaultValueFactory = _ => 42 };
        var exploreShare = new Option<double>("--explore-share")
        {
            Description = "Share of traffic the router may route to explore (Router:Exploration:Share), 0 to 0.5.",
            DefaultValueFactory = _ => 0.1,
        };
        var coldModel = new Option<string?>("--cold-model") { Description = "A model left out of the seed data (prices only, no grades), as a newly added model: shows how many events it takes to learn it." };
        var plot = new Option<FileInfo?>("--plot") { Description = "Where to draw test AIQ against events: .png or .svg (the folder is created if need be)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table." };
        var command = new Command("simulate", "Replay graded train queries as live traffic (route, feedback of the chosen model, ingest, retrain) and report the learning curve on the test split.")
        {
            data, CliOptions.TextField, CliOptions.TestRatio, CliOptions.Catalog, CliOptions.ModelDirectory,
            seedFraction, checkpoints, costWeight, target, seed, exploreShare, coldModel, plot, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Settings first: a bad flag is told at once, not after the training.
            var fraction = parse.GetValue(seedFraction);
            if (fraction is not (> 0 and < 1))
            {
                throw new ArgumentException(Invariant($"--seed-fraction must be between 0 and 1 (exclusive), not {fraction}."));
            }

            var points = parse.GetValue(checkpoints);
            if (points < 1)
            {
                throw new ArgumentException($"--checkpoints must be at least 1 (got {points}).");
            }

            var weight = parse.GetValue(costWeight);
            if (weight is { } w && (!double.IsFinite(w) || w is < 0 or > 1))
            {
                throw new ArgumentException(Invariant($"--cost-weight must be between 0 and 1, not {w}."));
            }

            var share = parse.GetValue(exploreShare);
            if (!double.IsFinite(share) || share is < 0 or > 0.5)
            {
                throw new ArgumentException(Invariant($"--explore-share must be between 0 and 0.5, not {share}."));
            }

            var scoreTarget = ParseTarget(parse.GetValue(target)!);
            var plotPath = parse.GetValue(plot)?.FullName;
            var plotFormat = plotPath is null ? (PlotFormat?)null : PlotFormats.ForPath(plotPath);

            var rows = CliOptions.ReadAll(parse, data);
            var train = rows.Where(r => r.Split == DatasetSplit.Train).ToList();
            var test = rows.Where(r => r.Split == DatasetSplit.Test).ToList();
            var dataPath = parse.GetValue(data)!.FullName;
            if (train.Count < 2 || test.Count == 0)
            {
                throw new ArgumentException($"{dataPath} has {train.Count} train and {test.Count} test rows: simulate needs at least 2 train rows to replay and 1 test row to measure on.");
            }

            var models = CliOptions.Models(parse, data, rows);
            var cold = parse.GetValue(coldModel);
            if (cold is not null && !models.Any(m => m.Name == cold))
            {
                throw new ArgumentException($"--cold-model '{cold}' is not a model of {dataPath} ({string.Join(", ", models.Select(m => m.Name))}).");
            }

            var store = Directory.CreateTempSubdirectory("routerfn-simulate-");
            try
            {
                var settings = new Dictionary<string, string?>
                {
                    ["Storage:Mode"] = "Local",
                    ["Storage:LocalDirectory"] = store.FullName,
                    ["Router:Seed"] = Invariant($"{parse.GetValue(seed)}"),
                    // Read by routing's exploration once it is there; until then the spend column stays 0.
                    ["Router:Exploration:Share"] = Invariant($"{share}"),
                    ["Router:Exploration:Seed"] = Invariant($"{parse.GetValue(seed)}"),
                };
                if (weight is { } given)
                {
                    settings["Router:DefaultCostWeight"] = Invariant($"{given}");
                }

                var services = CliOptions.Services(parse, settings: settings, configure: s => s.AddTrafficSimulation());
                SimulationResult result;
                try
                {
                    var embedder = services.Embedder();
                    var simulation = Resolve(services);
                    var input = new SimulationInput
                    {
                        Train = train,
                        Test = test,
                        Models = models,
                        EmbeddingModelId = embedder.ModelId,
                        SeedFraction = fraction,
                        Checkpoints = points,
                        Target = scoreTarget,
                        Seed = parse.GetValue(seed),
                        ColdModel = cold,
                    };
                    result = await CommandProgress.RunAsync(log, "simulate", progress => simulation.RunAsync(input, progress.Lines, progress.Stages, cancellationToken));
                }
                finally
                {
                    await services.DisposeAsync();
                }

                if (plotPath is not null)
                {
                    LearningCurvePlot.Write(result, $"{result.Events} events after {result.SeedQueries} seed queries, {result.TestQueries} test queries", plotPath, plotFormat!.Value);
                }

                if (parse.GetValue(json))
                {
                    output.WriteLine(JsonSerializer.Serialize(SimulateReport.ToJson(result, plotPath), EvalReport.JsonOptions));
                }
                else
                {
                    SimulateReport.Print(output, result, plotPath);
                }

                return 0;
            }
            finally
            {
                store.Delete(recursive: true);
            }
        });
        return command;
    }

    private static TrafficSimulation Resolve(IServiceProvider services)
    {
        try
        {
            return services.GetRequiredService<TrafficSimulation>();
        }
        catch (OptionsValidationException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private static ScoreTarget ParseTarget(string text)
    {
        try
        {
            return ScoreTarget.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"--target: {e.Message}", e);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
