using System.Text.Json.Nodes;
using RouterFunctions.Application;

namespace RouterFunctions.Cli.Tests;

/// <summary>
/// A user's own data as the CLI would meet it: 240 graded rows with only id, query and results (no split, no question,
/// no task), and a profile trained on it once by the real 'train' command.
/// </summary>
public sealed class OwnDataFixture : IAsyncLifetime
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("routerfn-cli-").FullName;

    public string DataPath => Path.Combine(Directory, "own.jsonl");

    public string ProfilePath => Path.Combine(Directory, "profile.json");

    public string TrainLog { get; private set; } = "";

    /// <summary>What train printed on stdout: its per-group table.</summary>
    public string TrainOutput { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var lines = File.ReadLines(DefaultPaths.TrainingData()!).Where((_, i) => i % 13 == 0).Take(240).Select(line =>
        {
            var row = JsonNode.Parse(line)!.AsObject();
            return new JsonObject { ["id"] = row["id"]!.GetValue<string>(), ["query"] = row["question"]!.GetValue<string>(), ["results"] = row["results"]!.DeepClone() }.ToJsonString();
        });
        await File.WriteAllLinesAsync(DataPath, lines);
        File.Copy(DefaultPaths.ModelCatalog()!, Path.Combine(Directory, "models.json"));
        var (exit, output, log) = await Cli.RunAsync("train", "--data", DataPath, "-o", ProfilePath);
        TrainLog = log;
        TrainOutput = output;
        if (exit != 0)
        {
            throw new InvalidOperationException($"train failed ({exit}): {log}");
        }
    }

    public ValueTask DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}

internal static class Cli
{
    public static async Task<(int Exit, string Output, string Log)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var log = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, log);
        return (exit, output.ToString(), log.ToString());
    }
}

[CollectionDefinition(Name)]
public sealed class OwnDataCollection : ICollectionFixture<OwnDataFixture>
{
    public const string Name = "own-data";
}
