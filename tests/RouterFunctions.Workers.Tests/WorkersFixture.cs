using RouterFunctions.Application;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Training;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Workers.Tests;

/// <summary>
/// A small profile trained once (real ONNX model from ../shared) from 300 training rows, the first 100 of each task, so
/// that, as with the full data, the profile's groups are the tasks; and a workers app on it that tests can share.
/// The training is RouterFunctions.Local.Tests' RouterAppFixture's, copied: the two projects test different hosts.
/// </summary>
public sealed class WorkersFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-workers-").FullName;

    public string ProfilePath => Path.Combine(_directory, "profile.json");

    /// <summary>The profile's embedded training examples: what a first start that trained from data saves as the retraining seed.</summary>
    public IReadOnlyList<TrainingExample> Seed { get; private set; } = [];

    /// <summary>A workers app with the default settings, for tests that only read.</summary>
    public WorkersApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var data = DefaultPaths.TrainingData() ?? throw new InvalidOperationException("../shared/data is missing");
        var rows = DatasetFile.Read(data, new DatasetReader()).Where(r => r.Split == DatasetSplit.Train)
            .GroupBy(r => r.Task).SelectMany(task => task.Take(100)).ToList();
        using var model = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = DefaultPaths.ModelDirectory() });
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
        Seed = run.Examples;
        App = await WorkersApp.StartAsync(this);
    }

    private static SearchSpace TinySearch { get; } = new()
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

        Directory.Delete(_directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class WorkersCollection : ICollectionFixture<WorkersFixture>
{
    public const string Name = "workers";
}
