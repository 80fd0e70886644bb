using Microsoft.Extensions.Options;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;
using RouterFunctions.Embeddings.Onnx;
using RouterFunctions.Hosting;

namespace RouterFunctions.Handler;

/// <summary>
/// Loads the saved profile, or trains a first one from the configured data (with progress in the log) and saves it.
/// Runs in the background so the host's readiness probe (GET /) answers at once; /api/route answers 503 until done.
/// </summary>
internal sealed partial class ProfileStartup(
    IProfileStore store,
    ProfileHolder holder,
    OnnxEmbeddingGenerator model,
    IOptions<RouterOptions> options,
    TimeProvider time,
    ILogger<ProfileStartup> logger) : BackgroundService
{
    private volatile string _status = "loading";

    public string Status => _status;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var profile = await store.GetCurrentAsync(stoppingToken) ?? await TrainFirstAsync(stoppingToken);
            if (profile is null)
            {
                return;
            }

            if (profile.EmbeddingModelId != model.ModelId)
            {
                Fail($"the saved profile was trained on '{profile.EmbeddingModelId}' embeddings but the loaded model is '{model.ModelId}'; retrain it");
                return;
            }

            holder.Set(profile);
            _status = "ready";
            LogReady(logger, profile.Version, profile.Centroids.Count, profile.Models.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(e.Message);
        }
    }

    private async Task<RoutingProfile?> TrainFirstAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var dataPath = settings.TrainingDataPath ?? DefaultPaths.TrainingData();
        if (dataPath is null || !File.Exists(dataPath))
        {
            Fail($"no saved profile at '{settings.ProfilePath}' and no training data (set Router:TrainingDataPath, or run 'routerfn train')");
            return null;
        }

        var catalogPath = settings.ModelCatalogPath ?? Path.Combine(Path.GetDirectoryName(dataPath)!, "models.json");
        var rows = DatasetFile.Read(dataPath, new DatasetReader(settings.TextField)).Where(r => r.Split == DatasetSplit.Train).ToList();
        LogTraining(logger, settings.ProfilePath, rows.Count, dataPath);
        var progress = new InlineProgress<string>(message =>
        {
            _status = "training: " + message;
            LogProgress(logger, message);
        });
        // The bare model, not the cached pipeline: training texts would only crowd real queries out of the cache.
        var run = await ProfileTraining.TrainAsync(
            model,
            model.ModelId,
            rows,
            ModelCatalog.ForData(rows, File.Exists(catalogPath) ? ModelCatalog.Load(catalogPath) : null),
            new TrainingOptions { Seed = settings.Seed, CreatedAt = time.GetUtcNow() },
            new SearchSpace(),
            progress,
            cancellationToken);
        await store.PublishAsync(run.Profile, cancellationToken);
        return run.Profile;
    }

    private void Fail(string reason)
    {
        _status = "failed: " + reason;
        LogFailed(logger, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Profile v{Version} ready: {Clusters} clusters, {Models} models")]
    private static partial void LogReady(ILogger logger, int version, int clusters, int models);

    [LoggerMessage(Level = LogLevel.Information, Message = "No profile at {Path}: training a first one from {Rows} graded queries in {Data}")]
    private static partial void LogTraining(ILogger logger, string path, int rows, string data);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training: {Message}")]
    private static partial void LogProgress(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "The router has no profile: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
