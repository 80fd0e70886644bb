using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RouterFunctions.Aggregation;
using RouterFunctions.Application;
using RouterFunctions.Application.Aggregation;
using RouterFunctions.Chat;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Cli;

/// <summary>
/// replay: runs questions with gold answers through a configured model pool, Router-R1 style, and reports exact match,
/// format validity, calls and spend (Router-R1's Table 4 axes).
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter output, TextWriter log, HttpMessageHandler? modelTransport)
    {
        var questions = new Option<FileInfo>("--questions") { Description = "JSONL: {\"question\": …, \"answer\": \"…\" | [\"…\", …]} per line.", Required = true };
        var config = new Option<FileInfo>("--config") { Description = "JSON with a \"Models\" section (as in appsettings.json) naming the pool's backends.", Required = true };
        var profilePath = new Option<FileInfo>("--profile") { Description = "The routing profile (predicted quality per pool model).", Required = true };
        var routerModel = new Option<string>("--router-model") { Description = "The configured model that plays the router LLM.", Required = true };
        var strategy = new Option<AggregationStrategy>("--strategy") { Description = "MultiRound or Decompose.", DefaultValueFactory = _ => AggregationStrategy.MultiRound };
        var budget = new Option<decimal>("--budget") { Description = "USD per question.", DefaultValueFactory = _ => 0.05m };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("replay", "Replay questions with gold answers through a model pool (multi-round aggregation) and report exact match and cost.")
        {
            questions, config, profilePath, routerModel, strategy, budget, json, CliOptions.ModelDirectory,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var services = CliOptions.Services(parse, parse.GetValue(config)!.FullName, modelTransport);
            ChatBackends backends;
            try
            {
                backends = services.GetRequiredService<ChatBackends>();
            }
            catch (OptionsValidationException e)
            {
                throw new ArgumentException($"--config: {e.Message}", e);
            }

            var router = parse.GetValue(routerModel)!;
            if (!backends.TryGet(router, out var routerClient))
            {
                throw new ArgumentException($"--router-model '{router}' is not in --config's Models.");
            }

            var profile = await new FileProfileStore(parse.GetValue(profilePath)!.FullName).GetCurrentAsync(cancellationToken)
                ?? throw new FileNotFoundException($"No profile at {parse.GetValue(profilePath)!.FullName}.");
            var routing = new Router(profile);
            var pool = PoolPricing.Priced(profile.Models, backends);
            var prices = backends.Models.Single(m => m.Name == router).Prices;
            var options = new AggregationOptions
            {
                Budget = parse.GetValue(budget),
                RouterInputPricePerMillion = (decimal)prices.InputPerMillion,
                RouterOutputPricePerMillion = (decimal)prices.OutputPerMillion,
            };
            var embedder = services.Embedder();
            var items = ReadQuestions(parse.GetValue(questions)!.FullName);
            var results = await CommandProgress.RunAsync(log, "replay", async progress =>
            {
                var done = new List<(AggregationSummary Summary, double ExactMatch)>();
                progress.Stages.Report(new StageProgress("questions", 0, items.Count));
                foreach (var (item, index) in items.Select((q, i) => (q, i)))
                {
                    var decision = routing.Decide(embedder.Embed([item.Question])[0], new RoutingPolicy { CostWeight = 0 }, [.. pool.Select(m => m.Name)]);
                    var (job, step) = AggregationMachine.Start($"replay-{index}", item.Question, PoolModel.FromDecision(decision, pool), options, parse.GetValue(strategy));
                    job = await AggregationRunner.RunAsync(job, step, routerClient, backends.Get, cancellationToken);
                    var summary = job.Summary();
                    done.Add((summary, ExactMatch.Score(summary.Answer ?? "", item.Answers)));
                    progress.Lines.Report($"{index + 1}/{items.Count}: EM {done[^1].ExactMatch:F0}, {summary.PoolCalls} calls, ${summary.Spent:F5}");
                    progress.Stages.Report(new StageProgress("questions", index + 1, items.Count));
                }

                return done;
            });

            var report = new
            {
                questions = results.Count,
                exactMatch = Math.Round(results.Average(r => r.ExactMatch), 4),
                formatValid = Math.Round(results.Average(r => r.Summary.FormatValid ? 1.0 : 0.0), 4),
                meanPoolCalls = Math.Round(results.Average(r => r.Summary.PoolCalls), 3),
                meanRouterCalls = Math.Round(results.Average(r => r.Summary.RouterCalls), 3),
                meanSpend = Math.Round(results.Average(r => r.Summary.Spent), 6),
                totalSpend = results.Sum(r => r.Summary.Spent),
            };
            output.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(report, EvalReport.JsonOptions)
                : string.Create(CultureInfo.InvariantCulture,
                    $"{report.questions} questions: exact match {report.exactMatch:P1}, format valid {report.formatValid:P1}, {report.meanPoolCalls:F2} pool + {report.meanRouterCalls:F2} router calls and ${report.meanSpend:F5} per question (${report.totalSpend:F4} in all)"));
            return 0;
        });
        return command;
    }

    private static List<(string Question, IReadOnlyList<string> Answers)> ReadQuestions(string path)
    {
        var items = new List<(string, IReadOnlyList<string>)>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                var row = JsonDocument.Parse(line).RootElement;
                var answer = row.GetProperty("answer");
                items.Add((row.GetProperty("question").GetString()!, answer.ValueKind == JsonValueKind.Array
                    ? [.. answer.EnumerateArray().Select(a => a.GetString()!)]
                    : [answer.GetString()!]));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new FormatException($"{path} line {number}: needs \"question\" and \"answer\" ({e.Message})", e);
            }
        }

        return items.Count > 0 ? items : throw new ArgumentException($"{path} holds no questions.");
    }
}
