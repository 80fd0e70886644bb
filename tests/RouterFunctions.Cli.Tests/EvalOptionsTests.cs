using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RouterFunctions.Cli.Tests;

/// <summary>eval's --group-by, --targets, --exclude-flag and --decisions, on the fixture's rows with tasks and flags added.</summary>
[Collection(OwnDataCollection.Name)]
public sealed class EvalOptionsTests(OwnDataFixture data)
{
    private static readonly string[] Tasks = ["alpha-one", "alpha-two", "beta"];

    [Fact]
    public async Task Group_by_prefix_rolls_tasks_up_to_the_part_before_the_first_dash()
    {
        var path = await WriteAsync("tasks", (row, i) => row["task"] = Tasks[i % 3]);

        var byTask = await JsonAsync("--data", path, "--split", "all");
        var byPrefix = await JsonAsync("--data", path, "--split", "all", "--group-by", "prefix");

        Assert.Equal("task", byTask.GetProperty("groupBy").GetString());
        Assert.Equal(Tasks, Groups(byTask).Select(g => g.Name));
        Assert.Equal("prefix", byPrefix.GetProperty("groupBy").GetString());
        Assert.Equal([("alpha", 160), ("beta", 80)], Groups(byPrefix));
    }

    [Fact]
    public async Task Group_by_prefix_is_named_in_the_text_report()
    {
        var path = await WriteAsync("tasks-text", (row, i) => row["task"] = Tasks[i % 3]);

        var (exit, output, log) = await EvalAsync("--data", path, "--split", "all", "--group-by", "prefix");

        Assert.True(exit == 0, log);
        Assert.Contains("Per prefix", output, StringComparison.Ordinal);
        Assert.Matches(@"\n  alpha +160 ", output);
        Assert.DoesNotContain("alpha-one", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_group_by_is_one_error_line_and_exit_code_2()
    {
        var (exit, output, log) = await EvalAsync("--data", data.DataPath, "--group-by", "benchmark");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("error: --group-by must be 'task' or 'prefix', not 'benchmark'.", log.TrimEnd());
    }

    [Fact]
    public async Task Targets_replace_the_default_levels_and_a_relative_one_follows_the_best_single_model()
    {
        var report = await JsonAsync("--data", data.DataPath, "--targets", "0.8,best-0.005");

        var best = report.GetProperty("bestSingle").GetProperty("score").GetDouble();
        var relative = Math.Round(best - 0.005, 4);
        var keys = report.GetProperty("costPer1kAt").EnumerateObject().Select(p => double.Parse(p.Name, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(0.8, keys[0]);
        Assert.Equal(relative, keys[1], 1e-4);
        var targets = report.GetProperty("targets").EnumerateArray().Select(t => (t.GetProperty("target").GetString(), t.GetProperty("score").GetDouble())).ToList();
        Assert.Equal([("0.8", 0.8), ("best-0.005", relative)], targets);
    }

    [Theory]
    [InlineData("0.875,high")]
    [InlineData("1.2")]
    [InlineData("best-")]
    [InlineData("0.875,")]
    public async Task A_bad_target_is_one_error_line_and_exit_code_2_before_any_work(string targets)
    {
        var (exit, output, log) = await EvalAsync("--data", data.DataPath, "--targets", targets);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("error: --targets: ", log, StringComparison.Ordinal);
        Assert.Single(log.TrimEnd().Split('\n'));
        Assert.DoesNotContain("[eval]", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exclude_flag_skips_the_rows_whose_field_is_true_and_says_how_many()
    {
        // Every 4th row is contaminated; every 5th has the field false (kept).
        var path = await WriteAsync("flags", (row, i) =>
        {
            if (i % 4 == 0)
            {
                row["contaminated"] = true;
            }
            else if (i % 5 == 0)
            {
                row["contaminated"] = false;
            }
        });

        var all = await JsonAsync("--data", path, "--split", "all");
        var kept = await JsonAsync("--data", path, "--split", "all", "--exclude-flag", "contaminated");
        var (exit, text, log) = await EvalAsync("--data", path, "--split", "all", "--exclude-flag", "contaminated", "--exclude-flag", "unused");

        Assert.Equal(240, all.GetProperty("queries").GetInt32());
        Assert.Equal(0, all.GetProperty("excluded").GetProperty("rows").GetInt32());
        Assert.Equal(180, kept.GetProperty("queries").GetInt32());
        Assert.Equal(60, kept.GetProperty("excluded").GetProperty("rows").GetInt32());
        Assert.Equal(["contaminated"], kept.GetProperty("excluded").GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.True(exit == 0, log);
        Assert.Contains("skipped 60 rows flagged contaminated or unused", text, StringComparison.Ordinal);
        Assert.Contains("Router on 180 queries", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decisions_hold_one_line_per_query_and_reported_setting_with_the_pick_its_prediction_and_its_outcome()
    {
        var folder = Path.Combine(data.Directory, "decisions", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(folder, "d.jsonl");

        var report = await JsonAsync("--data", data.DataPath, "--targets", "0.5,best-0.005,0.999", "--decisions", path);

        var queries = report.GetProperty("queries").GetInt32();
        var lines = (await File.ReadAllLinesAsync(path)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var settings = lines.GroupBy(l => l.GetProperty("setting").GetString()!).ToDictionary(g => g.Key, g => g.ToList());

        // Reached targets (0.5 always; best-0.005 since the sweep includes the best model) and the fixed weights; 0.999 is not reached.
        var reached = report.GetProperty("costPer1kAt").EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).Select(p => $"score>={p.Name}").ToList();
        Assert.DoesNotContain("score>=0.999", reached);
        Assert.Equal([.. reached, "costWeight=0", "costWeight=0.25", "costWeight=0.5", "costWeight=1"], settings.Keys);
        Assert.All(settings.Values, s => Assert.Equal(queries, s.Count));
        Assert.Equal(lines.Count, report.GetProperty("decisions").GetProperty("lines").GetInt32());
        Assert.Equal(settings.Count * queries, lines.Count);
        Assert.Equal([0, 0.25, 0.5, 1], settings.Keys.Skip(reached.Count).Select(k => settings[k][0].GetProperty("costWeight").GetDouble()));

        // Each line's outcome is the picked model's graded result for that query in the data.
        var results = (await File.ReadAllLinesAsync(data.DataPath)).Select(l => JsonNode.Parse(l)!).ToDictionary(r => r["id"]!.GetValue<string>(), r => r["results"]!);
        foreach (var line in lines)
        {
            var actual = results[line.GetProperty("query").GetString()!][line.GetProperty("model").GetString()!]!;
            Assert.Equal(actual["score"]!.GetValue<double>(), line.GetProperty("score").GetDouble());
            Assert.Equal(actual["cost"]!.GetValue<double>(), line.GetProperty("cost").GetDouble());
            Assert.InRange(line.GetProperty("predictedQuality").GetDouble(), 0, 1);
            Assert.True(line.GetProperty("predictedCost").GetDouble() > 0);
        }

        // The lowest-cost setting reaching a target reproduces its reported cost.
        var first = settings[reached[0]];
        Assert.Equal(report.GetProperty("costPer1kAt").GetProperty(reached[0]["score>=".Length..]).GetDouble(), Math.Round(first.Average(l => l.GetProperty("cost").GetDouble()) * 1000, 4), 1e-9);
        Assert.Contains(settings["costWeight=0"], l => l.GetProperty("model").GetString() != settings["costWeight=1"][0].GetProperty("model").GetString());
    }

    private static List<(string Name, int Queries)> Groups(JsonElement report) =>
        [.. report.GetProperty("perGroup").EnumerateArray().Select(g => (g.GetProperty("group").GetString()!, g.GetProperty("queries").GetInt32()))];

    private async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (exit, output, log) = await EvalAsync([.. args, "--json"]);
        Assert.True(exit == 0, log);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private Task<(int Exit, string Output, string Log)> EvalAsync(params string[] args) =>
        Cli.RunAsync(["eval", "--profile", data.ProfilePath, "--plot", Path.Combine(data.Directory, $"options-{Guid.NewGuid():N}.svg"), .. args]);

    /// <summary>The fixture's rows with <paramref name="change"/> applied to row i (0-based).</summary>
    private async Task<string> WriteAsync(string name, Action<JsonNode, int> change)
    {
        var lines = (await File.ReadAllLinesAsync(data.DataPath)).Select((line, i) =>
        {
            var row = JsonNode.Parse(line)!;
            change(row, i);
            return row.ToJsonString();
        });
        var path = Path.Combine(data.Directory, $"options-{name}.jsonl");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
