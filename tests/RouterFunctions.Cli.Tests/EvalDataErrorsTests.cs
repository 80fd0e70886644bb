using System.Text.Json.Nodes;

namespace RouterFunctions.Cli.Tests;

/// <summary>Bad rows are one error line naming the file and the row's line, exit code 2, before anything is embedded.</summary>
[Collection(OwnDataCollection.Name)]
public sealed class EvalDataErrorsTests(OwnDataFixture data)
{
    private const string Model = "gpt-4-1106-preview";

    public static TheoryData<string, string, string> Corruptions => new()
    {
        { "score-high", """{"score": 1.5, "cost": 0.001}""", $"model '{Model}': score 1.5 is outside 0..1" },
        { "cost-negative", """{"score": 1, "cost": -0.001}""", $"model '{Model}': cost -0.001 is negative" },
        { "no-score", """{"cost": 0.001}""", $"model '{Model}' has no score" },
        { "infinite", """{"score": 1, "cost": 1e999}""", $"model '{Model}': cost 1e999 is not a finite number" },
        { "missing-model", "", $"no result for model '{Model}' (line 1 has one): every row needs the same models" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public async Task A_bad_result_is_told_by_file_and_line_before_any_embedding(string name, string result, string reason)
    {
        var path = await WriteAsync(name, 5, row =>
        {
            var results = row["results"]!.AsObject();
            if (result.Length == 0)
            {
                results.Remove(Model);
            }
            else
            {
                results[Model] = JsonNode.Parse(result);
            }
        });

        var (exit, output, log) = await Cli.RunAsync("eval", "--data", path, "--profile", data.ProfilePath, "--split", "all", "--plot", Path.Combine(data.Directory, $"{name}.svg"));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"error: line 5: {reason} (in {path})", log.TrimEnd());
        Assert.False(File.Exists(Path.Combine(data.Directory, $"{name}.svg")));
    }

    [Fact]
    public async Task Results_that_are_not_an_object_are_told_by_file_and_line()
    {
        var path = await WriteAsync("results-array", 7, row => row["results"] = new JsonArray(1, 2));

        var (exit, _, log) = await Cli.RunAsync("eval", "--data", path, "--profile", data.ProfilePath, "--split", "all");

        Assert.Equal(2, exit);
        Assert.Equal($"error: line 7: 'results' must be an object of model: {{score, cost}}, not an array (in {path})", log.TrimEnd());
    }

    [Fact]
    public async Task The_line_counts_blank_lines_and_every_split_not_an_index_into_the_evaluated_rows()
    {
        // Line 9 of the file, after a blank line; with the default split (test) most earlier rows are not evaluated.
        var lines = (await File.ReadAllLinesAsync(data.DataPath)).Take(10).ToList();
        lines.Insert(3, "");
        var row = JsonNode.Parse(lines[8])!;
        row["results"]![Model]!["score"] = 2;
        lines[8] = row.ToJsonString();
        var path = Path.Combine(data.Directory, "blank-line.jsonl");
        await File.WriteAllLinesAsync(path, lines);

        var (exit, _, log) = await Cli.RunAsync("eval", "--data", path, "--profile", data.ProfilePath);

        Assert.Equal(2, exit);
        Assert.StartsWith($"error: line 9: model '{Model}': score 2 is outside 0..1", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_without_a_model_the_profile_routes_to_is_told_by_line_before_any_embedding()
    {
        // Every row lacks the model alike (a consistent file), but the profile was trained with it.
        var path = Path.Combine(data.Directory, "no-gpt4.jsonl");
        await File.WriteAllLinesAsync(path, (await File.ReadAllLinesAsync(data.DataPath)).Take(20).Select(line =>
        {
            var row = JsonNode.Parse(line)!;
            row["results"]!.AsObject().Remove(Model);
            return row.ToJsonString();
        }));

        var (exit, _, log) = await Cli.RunAsync("eval", "--data", path, "--profile", data.ProfilePath, "--split", "all");

        Assert.Equal(2, exit);
        Assert.Equal($"error: line 1: no result for model '{Model}' that the profile (v1) routes to (in {path})", log.TrimEnd());
        Assert.DoesNotContain("[eval]", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_refuses_a_bad_row_the_same_way()
    {
        var path = await WriteAsync("train-bad", 4, row => row["results"]![Model]!["score"] = -1);

        var (exit, _, log) = await Cli.RunAsync("train", "--data", path, "-o", Path.Combine(data.Directory, "never.json"));

        Assert.Equal(2, exit);
        Assert.Equal($"error: line 4: model '{Model}': score -1 is outside 0..1 (in {path})", log.TrimEnd());
        Assert.False(File.Exists(Path.Combine(data.Directory, "never.json")));
    }

    /// <summary>The fixture's first 30 rows with line <paramref name="line"/> (1-based) changed by <paramref name="corrupt"/>.</summary>
    private async Task<string> WriteAsync(string name, int line, Action<JsonNode> corrupt)
    {
        var lines = (await File.ReadAllLinesAsync(data.DataPath)).Take(30).ToArray();
        var row = JsonNode.Parse(lines[line - 1])!;
        corrupt(row);
        lines[line - 1] = row.ToJsonString();
        var path = Path.Combine(data.Directory, $"bad-{name}.jsonl");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
