using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;
using RouterFunctions.Embeddings.Onnx;


namespace RouterFunctions.Application;

/// <summary>
/// Gets the router its first profile: the store's current one; else the configured profile file, published; else one
/// trained from the configured data (progress in the log), published with its examples as the retraining seed.
/// Runs in the background so the host's readiness probe (GET /) answers at once; /api/route answers 503 until done.
/// Waits for storage that is not reachable yet instead of giving up.
/// </summary>
public sealed partial class ProfileStartup(
    IProfileStore store,
    ISeedStore seeds,
    ProfileHolder holder,
    OnnxEmbeddingGenerator model,
    IOptions<RouterOptions> options,
    TimeProvider time,
    ILogger<ProfileStartup> logger) : BackgroundService
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _status = "loading";

    public string Status => _status;

    /// <summary>Completes when startup has a profile or has given up.</summary>
    public Task Completion => _completion.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (await LoadOrCreateAsync(stoppingToken) is { } profile)
                    {
                        Use(profile);
                    }

                    return;
                }
                catch (Exception e) when (IsStorageFailure(e))
                {
                    _status = $"waiting for storage (attempt {attempt}): {e.Message}";
                    holder.StorageFailed(e.Message);
                    LogStorageWait(logger, attempt, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), time, stoppingToken);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(e.Message);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private async Task<RoutingProfile?> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        if (await store.GetCurrentAsync(cancellationToken) is { } current)
        {
            return await WithCatalogModelsAsync(current, cancellationToken);
        }

        var created = await FromFileAsync(cancellationToken) ?? await TrainFirstAsync(cancellationToken);
        if (created is null)
        {
            return null;
        }

        // Another instance may have published first: then its profile is the one to use.
        return await store.TryPublishAsync(created, null, cancellationToken) ? created : await store.GetCurrentAsync(cancellationToken);
    }

    /// <summary>
    /// Models in the configured catalog that the stored profile lacks are added as a new version (cold start: their
    /// descriptor's prior until feedback grades them); another instance publishing first wins and its profile is used.
    /// </summary>
    private async Task<RoutingProfile> WithCatalogModelsAsync(RoutingProfile current, CancellationToken cancellationToken)
    {
        if (options.Value.ModelCatalogPath is not { Length: > 0 } path || !File.Exists(path)
            || ProfileModels.WithNewModels(current, ModelCatalog.Load(path), current.Version + 1, time.GetUtcNow()) is not { } extended)
        {
            return current;
        }

        LogModelsAdded(logger, extended.Notes["modelsAdded"], extended.Version, path);
        return await store.TryPublishAsync(extended, current.Version, cancellationToken) ? extended : await store.GetCurrentAsync(cancellationToken) ?? current;
    }

    private async Task<RoutingProfile?> FromFileAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ProfilePath is not { Length: > 0 } path)
        {
            return null;
        }

        // The path is absolute and was there at start (RouterOptionsValidation); gone since, it is no storage outage to wait out.
        var file = new FileProfileStore(path);
        var profile = await file.GetCurrentAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Router:ProfilePath '{file.Path}' does not exist any more.");
        LogImported(logger, profile.Version, file.Path);
        return profile;
    }

    private async Task<RoutingProfile?> TrainFirstAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var dataPath = settings.TrainingDataPath ?? DefaultPaths.TrainingData();
        if (dataPath is null || !File.Exists(dataPath))
        {
            Fail("no profile in the store, no Router:ProfilePath and no training data (set Router:TrainingDataPath, or run 'routerfn train')");
            return null;
        }

        var catalogPath = settings.ModelCatalogPath ?? Path.Combine(Path.GetDirectoryName(dataPath)!, "models.json");
        var rows = DatasetFile.Read(dataPath, new DatasetReader(settings.TextField)).Where(r => r.Split == DatasetSplit.Train).ToList();
        LogTraining(logger, rows.Count, dataPath);
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
        await seeds.SaveAsync(run.Examples, cancellationToken);
        return run.Profile;
    }

    private void Use(RoutingProfile profile)
    {
        if (profile.EmbeddingModelId != model.ModelId)
        {
            Fail($"the profile was trained on '{profile.EmbeddingModelId}' embeddings but the loaded model is '{model.ModelId}'; retrain it");
            return;
        }

        holder.Set(profile);
        holder.StorageOk();
        _status = "ready";
        LogReady(logger, profile.Version, profile.Centroids.Count, profile.Models.Count);
    }

    private void Fail(string reason)
    {
        _status = "failed: " + reason;
        LogFailed(logger, reason);
    }

    private static bool IsStorageFailure(Exception e) =>
        e is Azure.RequestFailedException or HttpRequestException or IOException or TimeoutException
        || e.InnerException is { } inner && IsStorageFailure(inner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Profile v{Version} ready: {Clusters} clusters, {Models} models")]
    private static partial void LogReady(ILogger logger, int version, int clusters, int models);

    [LoggerMessage(Level = LogLevel.Information, Message = "New models {Models} from {Path}: publishing profile v{Version} with their priors")]
    private static partial void LogModelsAdded(ILogger logger, string models, int version, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing profile v{Version} from {Path}")]
    private static partial void LogImported(ILogger logger, int version, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "No profile yet: training a first one from {Rows} graded queries in {Data}")]
    private static partial void LogTraining(ILogger logger, int rows, string data);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training: {Message}")]
    private static partial void LogProgress(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage is not reachable yet (attempt {Attempt}): {Error}")]
    private static partial void LogStorageWait(ILogger logger, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The router has no profile: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
