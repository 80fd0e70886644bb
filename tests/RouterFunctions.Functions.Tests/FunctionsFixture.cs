using RouterFunctions.Application;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Training;
using RouterFunctions.Embeddings.Onnx;

[assembly: AssemblyFixture(typeof(RouterFunctions.Functions.Tests.FunctionsFixture))]

namespace RouterFunctions.Functions.Tests;

/// <summary>
/// A small profile trained once for the assembly (the approach of RouterFunctions.Local.Tests' RouterAppFixture, copied:
/// the first 100 training rows of each task, a tiny search), saved as a file the apps publish at start, and one
/// started app whose every profile model is answered by a <see cref="ScriptedModels"/> backend.
/// </summary>
public sealed class FunctionsFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-functions-").FullName;

    public string ProfilePath => Path.Combine(_directory, "profile.json");

    public ScriptedModels Backend { get; } = new();

    /// <summary>The shared app (tests of one class run one at a time; classes only read or filter what they sent).</summary>
    public FunctionsApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var data = DefaultPaths.TrainingData() ?? throw new InvalidOperationException("../shared/data is missing");
        var rows = DatasetFile.Read(data, new DatasetReader()).Where(r => r.Split == DatasetSplit.Train)
            .GroupBy(r => r.Task).SelectMany(task => task.Take(100)).ToList();
        using (var model = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = DefaultPaths.ModelDirectory() }))
        {
            var run = await ProfileTraining.TrainAsync(
                model,
                model.ModelId,
                rows,
                ModelCatalog.ForData(rows, ModelCatalog.Load(DefaultPaths.ModelCatalog()!)),
                new TrainingOptions { ClustersPerGroup = 2 },
                TinySearch,
                new InlineProgress<string>(_ => { }),
                CancellationToken.None);
            await new FileProfileStore(ProfilePath).PublishAsync(run.Profile, CancellationToken.None);
            Models = [.. run.Profile.Models.Select(m => m.Name)];
            var settings = new Dictionary<string, string?>
            {
                // Failover feedback must not retrain the profile under the tests' feet.
                ["Feedback:RetrainAfterEvents"] = "1000000",
                ["Feedback:DriftMinCount"] = "1000000",
            };
            foreach (var (key, value) in ScriptedModels.Settings(run.Profile.Models))
            {
                settings[key] = value;
            }

            App = await FunctionsApp.StartAsync(ProfilePath, settings, Backend);
        }
    }

    /// <summary>The profile's models, in profile order.</summary>
    public IReadOnlyList<string> Models { get; private set; } = [];

    public static SearchSpace TinySearch { get; } = new()
    {
        Kinds = [Core.Profiles.ScorerKind.GroupLogistic],
        ClustersPerGroup = [2],
        TopK = [1],
        Shrinkages = [10],
        Regularizations = [0.1],
        Folds = 2,
    };

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        Backend.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
