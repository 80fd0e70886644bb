using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RouterFunctions.Application;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Training;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Local.Tests;

/// <summary>
/// The real app (real ONNX model from ../shared) on a small profile trained once from 300 training rows (the first 100 of
/// each task, so that, as with the full data, the profile's groups are the tasks),
/// so the tests route for real without paying for a full cross-validated training.
/// </summary>
public sealed class RouterAppFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-handler-").FullName;

    public RouterAppFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string ProfilePath => Path.Combine(_directory, "profile.json");

    /// <summary>The profile's embedded training examples: what a first start saves as the retraining seed.</summary>
    public IReadOnlyList<TrainingExample> Seed { get; private set; } = [];

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
        Factory = new RouterAppFactory(new() { ["Router:ProfilePath"] = ProfilePath });
        Client = Factory.CreateClient();
        await RouterAppFactory.WaitUntilReadyAsync(Client);
    }

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
        Client.Dispose();
        await Factory.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>
/// The app with configuration overrides, e.g. a profile path or a broken model folder, and optionally a service
/// replaced by a hand-written double.
/// </summary>
public sealed class RouterAppFactory(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }

        // The local store in memory only, unless a test asks for a journal: nothing lands in the source tree.
        builder.UseSetting("Storage:LocalDirectory", "");
        builder.UseSetting("Storage:ProfilePollSeconds", "0.2");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public static async Task<JsonElement> WaitUntilReadyAsync(HttpClient client, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var health = await client.GetFromJsonAsync<JsonElement>("/api/health");
            var status = health.GetProperty("status").GetString();
            if (status == "ready" || DateTime.UtcNow > deadline || health.GetProperty("startup").GetString()!.StartsWith("failed", StringComparison.Ordinal))
            {
                return health;
            }

            await Task.Delay(100);
        }
    }
}
