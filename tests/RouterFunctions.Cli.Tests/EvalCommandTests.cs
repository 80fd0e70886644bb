using System.Text.Json;

namespace RouterFunctions.Cli.Tests;

[Collection(OwnDataCollection.Name)]
public sealed class EvalCommandTests(OwnDataFixture data)
{
    [Fact]
    public async Task Eval_on_data_without_split_or_question_prints_the_headline_numbers_as_json()
    {
        var (exit, output, log) = await EvalJsonAsync("eval-a.svg");

        Assert.True(exit == 0, log);
        var report = JsonDocument.Parse(output).RootElement;
        var queries = report.GetProperty("queries").GetInt32();
        Assert.InRange(queries, 40, 120); // ~30% of 240 rows by the id hash
        Assert.InRange(report.GetProperty("aiq").GetDouble(), 0, 1);
        Assert.InRange(report.GetProperty("zeroRouterAiq").GetDouble(), 0, 1);
        Assert.InRange(report.GetProperty("bestScore").GetDouble(), 0, 1);
        var costAt = report.GetProperty("costPer1kAt");
        foreach (var q in new[] { "0.85", "0.86", "0.875" })
        {
            Assert.True(costAt.TryGetProperty(q, out var value), q);
            Assert.True(value.ValueKind is JsonValueKind.Null or JsonValueKind.Number);
        }

        Assert.Equal(4, costAt.EnumerateObject().Count()); // the three fixed levels and the best single model's score
        Assert.True(File.Exists(Path.Combine(data.Directory, "eval-a.svg")));
        Assert.StartsWith("<svg", await File.ReadAllTextAsync(Path.Combine(data.Directory, "eval-a.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_eval_twice_gives_the_same_numbers()
    {
        var first = await EvalJsonAsync("eval-b.svg");
        var second = await EvalJsonAsync("eval-b.svg");

        Assert.Equal(0, first.Exit);
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public async Task A_different_test_ratio_evaluates_a_different_share_of_rows()
    {
        var (exit, output, log) = await Cli.RunAsync("eval", "--data", data.DataPath, "--profile", data.ProfilePath, "--json", "--test-ratio", "0.6", "--plot", Path.Combine(data.Directory, "eval-c.svg"));

        Assert.True(exit == 0, log);
        Assert.InRange(JsonDocument.Parse(output).RootElement.GetProperty("queries").GetInt32(), 110, 190);
    }

    [Fact]
    public async Task The_text_report_names_aiq_and_the_baselines()
    {
        var (exit, output, _) = await Cli.RunAsync("eval", "--data", data.DataPath, "--profile", data.ProfilePath, "--plot", Path.Combine(data.Directory, "eval-d.svg"));

        Assert.Equal(0, exit);
        Assert.Contains("AIQ", output, StringComparison.Ordinal);
        Assert.Contains("zero router", output, StringComparison.Ordinal);
        Assert.Contains("oracle", output, StringComparison.Ordinal);
        Assert.Contains("best single", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_data_file_is_one_error_line_and_exit_code_2()
    {
        var missing = Path.Combine(data.Directory, "missing.jsonl");

        var (exit, _, log) = await Cli.RunAsync("eval", "--data", missing, "--profile", data.ProfilePath);

        Assert.Equal(2, exit);
        Assert.StartsWith("error:", log, StringComparison.Ordinal);
        Assert.Contains(missing, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_line_in_the_data_is_reported_with_its_number()
    {
        var broken = Path.Combine(data.Directory, "broken.jsonl");
        await File.WriteAllLinesAsync(broken, [(await File.ReadAllLinesAsync(data.DataPath))[0], "{not json"]);

        var (exit, _, log) = await Cli.RunAsync("eval", "--data", broken, "--profile", data.ProfilePath, "--split", "all");

        Assert.Equal(2, exit);
        Assert.Contains("line 2", log, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Output, string Log)> EvalJsonAsync(string plot) =>
        Cli.RunAsync("eval", "--data", data.DataPath, "--profile", data.ProfilePath, "--json", "--plot", Path.Combine(data.Directory, plot));
}
