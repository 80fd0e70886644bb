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
        Assert.Matches("^(<svg|<\\?xml)", await File.ReadAllTextAsync(Path.Combine(data.Directory, "eval-a.svg")));
        Assert.Contains("[eval] embedding", log, StringComparison.Ordinal);
        Assert.Contains("[eval] sweeping 1/1", log, StringComparison.Ordinal); // no tasks in this data: the overall sweep only
    }

    [Fact]
    public async Task A_png_plot_into_a_missing_folder_creates_the_folder_and_writes_a_png()
    {
        var plot = Path.Combine(data.Directory, "plots", "nested", "eval.png");

        var (exit, output, log) = await Cli.RunAsync("eval", "--data", data.DataPath, "--profile", data.ProfilePath, "--plot", plot);

        Assert.True(exit == 0, log);
        var bytes = await File.ReadAllBytesAsync(plot);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Contains($"Plot: {plot}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plot_with_another_extension_is_one_error_line_and_exit_code_2_before_any_work()
    {
        var plot = Path.Combine(data.Directory, "eval.jpg");

        var (exit, output, log) = await Cli.RunAsync("eval", "--data", data.DataPath, "--profile", data.ProfilePath, "--plot", plot);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"error: --plot must end in .png or .svg, not '.jpg' ({plot}).", log.TrimEnd());
        Assert.False(File.Exists(plot));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task Fewer_than_two_steps_is_one_error_line_and_exit_code_2(string steps)
    {
        var (exit, _, log) = await Cli.RunAsync("eval", "--data", data.DataPath, "--profile", data.ProfilePath, "--steps", steps, "--plot", Path.Combine(data.Directory, "eval-s.svg"));

        Assert.Equal(2, exit);
        Assert.StartsWith($"error: --steps must be at least 2 (got {steps})", log, StringComparison.Ordinal);
        Assert.Single(log.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Two_steps_is_enough()
    {
        var (exit, output, log) = await Cli.RunAsync("eval", "--data", data.DataPath, "--profile", data.ProfilePath, "--json", "--steps", "2", "--plot", Path.Combine(data.Directory, "eval-2.svg"));

        Assert.True(exit == 0, log);
        Assert.InRange(JsonDocument.Parse(output).RootElement.GetProperty("aiq").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task A_model_folder_without_the_model_is_one_error_line_and_exit_code_2()
    {
        var empty = Directory.CreateDirectory(Path.Combine(data.Directory, "no-model")).FullName;

        var (exit, _, log) = await Cli.RunAsync("eval", "--data", data.DataPath, "--profile", data.ProfilePath, "--model-dir", empty, "--plot", Path.Combine(data.Directory, "eval-m.svg"));

        Assert.Equal(2, exit);
        Assert.StartsWith($"error: No embedding model in {empty} (missing model.onnx and tokenizer.model): pass --model-dir", log, StringComparison.Ordinal);
        Assert.Single(log.TrimEnd().Split('\n'));
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
