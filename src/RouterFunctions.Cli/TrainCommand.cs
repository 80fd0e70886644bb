using System.CommandLine;
using RouterFunctions.Application;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Cli;

internal static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter log)
    {
        var data = CliOptions.Data();
        var split = CliOptions.Split("train");
        var profileOut = new Option<FileInfo>("--output", "-o") { Description = "Where to write the profile JSON.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed for folds and k-means.", DefaultValueFactory = _ => 42 };
        var scorer = new Option<ScorerKind?>("--scorer") { Description = "Restrict the search to one scorer (default: cross-validation picks among all)." };
        var command = new Command("train", "Train a routing profile from graded queries (scorer settings chosen by cross-validation).")
        {
            data, split, CliOptions.TextField, CliOptions.TestRatio, CliOptions.Catalog, CliOptions.ModelDirectory, profileOut, seed, scorer,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var rows = CliOptions.ReadRows(parse, data, split);
            using var services = CliOptions.Services(parse);
            var embedder = services.Embedder();
            var models = CliOptions.Models(parse, data, rows);
            var run = await CommandProgress.RunAsync(log, "train", progress => ProfileTraining.TrainAsync(
                embedder,
                embedder.ModelId,
                rows,
                models,
                new TrainingOptions { Seed = parse.GetValue(seed), CreatedAt = TimeProvider.System.GetUtcNow() },
                parse.GetValue(scorer) is { } kind ? new SearchSpace { Kinds = [kind] } : new SearchSpace(),
                progress.Lines,
                progress.Stages,
                cancellationToken));
            var path = parse.GetValue(profileOut)!.FullName;
            await new FileProfileStore(path).PublishAsync(run.Profile, cancellationToken);
            log.WriteLine($"[train] wrote {path}");
            GroupFallbackTable.Write(output, run.Groups);
            return 0;
        });
        return command;
    }
}
