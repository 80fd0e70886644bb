using System.Text.Json;
using System.Text.Json.Nodes;

namespace RouterFunctions.Cli.Tests;

/// <summary>simulate over a tiny synthetic dataset (two tasks, three models) with the real encoder and a temporary local store.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-simulate-cli-").FullName;

    public SimulateCommandTests()
    {
        string[] code = ["Write a function that reverses a string", "Fix the null pointer in this loop", "Sort a list of numbers in Python", "Explain this regular expression"];
        string[] math = ["What is the integral of x squared", "Solve 3x + 5 = 20 for x", "Is 97 a prime number", "Compute the derivative of sin x"];
        var lines = Enumerable.Range(0, 240).Select(i =>
        {
            var isCode = i % 2 == 0;
            var text = (isCode ? code : math)[i / 2 % 4] + $" (case {i})";
            return new JsonObject
            {
                ["id"] = $"s{i}",
                ["query"] = text,
                ["task"] = isCode ? "code" : "math",
                ["split"] = i % 5 == 4 ? "test" : "train",
                ["results"] = new JsonObject
                {
                    ["small"] = new JsonObject { ["score"] = isCode ? 1 : 0, ["cost"] = 0.0001 },
                    ["medium"] = new JsonObject { ["score"] = isCode ? 1 : 0.5, ["cost"] = 0.001 },
                    ["large"] = new JsonObject { ["score"] = 1, ["cost"] = 0.01 },
                },
            }.ToJsonString();
        });
        File.WriteAllLines(DataPath, lines);
    }

    private string DataPath => Path.Combine(_directory, "synthetic.jsonl");

    [Fact]
    public async Task Simulate_prints_the_learning_curve_and_writes_the_plot()
    {
        var plot = Path.Combine(_directory, "new", "folder", "curve.png");
        var stores = Stores();

        var (exit, output, log) = await Cli.RunAsync("simulate", "--data", DataPath, "--seed-fraction", "0.25", "--checkpoints", "2", "--plot", plot);

        Assert.True(exit == 0, log);
        Assert.Contains("events  profile  test AIQ", output, StringComparison.Ordinal);
        Assert.Matches(@"\n\s+0\s+v1\s+\d\.\d{4}", output);
        Assert.Matches(@"\n\s+144\s+v\d+\s+\d\.\d{4}", output); // 192 train rows: 48 seed, 144 events
        Assert.Contains("Full-information profile", output, StringComparison.Ordinal);
        Assert.Contains("[simulate] events 144/144", log, StringComparison.Ordinal);
        Assert.True(new FileInfo(plot).Length > 0);
        Assert.Equal(stores, Stores()); // the temporary store is gone
    }

    [Fact]
    public async Task Simulate_with_json_and_a_cold_model_reports_its_predicted_and_true_quality()
    {
        var (exit, output, log) = await Cli.RunAsync("simulate", "--data", DataPath, "--seed-fraction", "0.25", "--checkpoints", "1", "--cold-model", "medium", "--json");

        Assert.True(exit == 0, log);
        using var json = JsonDocument.Parse(output);
        var points = json.RootElement.GetProperty("checkpoints");
        Assert.Equal(2, points.GetArrayLength());
        Assert.Equal(0.5, points[0].GetProperty("cold").GetProperty("predicted").GetDouble(), 6);
        Assert.Equal(0.75, points[0].GetProperty("cold").GetProperty("true").GetDouble(), 6); // code 1, maths 0.5, half each
        Assert.Equal("medium", json.RootElement.GetProperty("coldModel").GetString());
    }

    [Theory]
    [InlineData("--seed-fraction", "1", "--seed-fraction must be between 0 and 1")]
    [InlineData("--seed-fraction", "0", "--seed-fraction must be between 0 and 1")]
    [InlineData("--checkpoints", "0", "--checkpoints must be at least 1")]
    [InlineData("--cost-weight", "1.5", "--cost-weight must be between 0 and 1")]
    [InlineData("--explore-share", "0.6", "--explore-share must be between 0 and 0.5")]
    [InlineData("--target", "high", "--target:")]
    [InlineData("--plot", "curve.gif", "--plot must end in .png or .svg")]
    [InlineData("--cold-model", "nobody", "--cold-model 'nobody' is not a model")]
    public async Task Simulate_refuses_a_bad_flag_with_one_line_and_exit_2(string flag, string value, string message)
    {
        var (exit, output, log) = await Cli.RunAsync("simulate", "--data", DataPath, flag, value);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith("error: ", log, StringComparison.Ordinal);
        Assert.Contains(message, log, StringComparison.Ordinal);
        Assert.Single(log.TrimEnd().Split('\n'));
    }

    // The command's temporary stores (not this class's data folders, nor the application tests' stores).
    private static string[] Stores() =>
        [.. Directory.GetDirectories(Path.GetTempPath(), "routerfn-simulate-*").Where(d => !d.Contains("-cli-", StringComparison.Ordinal) && !d.Contains("-test-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
