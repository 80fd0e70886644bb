using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RouterFunctions.Application.Retention;
using RouterFunctions.Chat;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Messaging;
using RouterFunctions.Messaging.Local;
using RouterFunctions.Storage;
using RouterFunctions.Storage.Stores;

namespace RouterFunctions.Application.Status;

/// <summary>
/// Feedback through the pipeline: received (events the consumer stored in the last <see cref="WindowHours"/>),
/// counted (live statistics of the loaded profile, per model and per cluster), parked, the resends that were dropped
/// as duplicates, and the lag from receipt to being counted.
/// </summary>
public sealed record FeedbackStats(
    long Received,
    double Counted,
    long Parked,
    IReadOnlyDictionary<string, long> ParkedByQueue,
    IReadOnlyDictionary<string, double> CountedByModel,
    IReadOnlyList<ClusterCount> CountedByCluster,
    DateTimeOffset? LatestReceivedAt,
    double? SecondsSinceLatest,
    double? MeanDelaySeconds,
    int DelaySample,
    int WindowHours,
    bool WindowTruncated,
    IReadOnlyDictionary<string, long> ReceivedByModel,
    IReadOnlyDictionary<string, long> ParkedByModel,
    long Duplicates,
    IngestionLag Lag);

/// <summary>
/// Seconds from receipt (POST /api/feedback) to being stored and counted by the consumer, over the window's events;
/// <see cref="Pending"/>: accepted events not counted yet, when the host can tell cheaply (the local queue), else null.
/// </summary>
public sealed record IngestionLag(double? MeanSeconds, double? MaxSeconds, int Sample, long? Pending);

/// <summary>Weighted feedback count of one (cluster, model) cell with its mean score.</summary>
public sealed record ClusterCount(int Cluster, string Model, double Count, double MeanScore);

/// <summary>Decisions routed by this instance: totals, cost against the best single model, per minute.</summary>
public sealed record DecisionStats(
    string Scope,
    long Total,
    string? BestSingleModel,
    double ChosenCost,
    double BestSingleCost,
    double CostSaved,
    double CostSavedPercent,
    IReadOnlyList<TallyMinute> PerMinute);

/// <summary>GET /api/stats: "scope" says which numbers are this instance's (the tally) and which are shared (the stores).</summary>
public sealed record StatsResponse(
    DateTimeOffset At,
    int? ProfileVersion,
    IReadOnlyList<string> Models,
    DecisionStats Decisions,
    FeedbackStats Feedback,
    string FeedbackScope,
    IReadOnlyList<RetrainOutcome> Retrains,
    RetrainOutcome? LastRetrain,
    IReadOnlyList<BackendState> Backends,
    string? StorageError,
    DecisionStorage? DecisionStorage = null);

/// <summary>
/// How decisions are kept (this instance): the write-behind buffer (<see cref="WriteBehindDecisionLog"/>) and the last
/// retention purge. No full-table count: that would scan storage on every call.
/// </summary>
public sealed record DecisionStorage(double RetentionDays, DecisionBufferStats Buffer, PurgeOutcome? LastPurge);

/// <summary>
/// The numbers behind the dashboard, read from what exists: the decision tally (per instance), the feedback store,
/// the live statistics, the parking lot and the retrain log (shared), and backend health when it is registered.
/// </summary>
public sealed class StatsView(
    ProfileHolder profiles,
    DecisionTally tally,
    IFeedbackStore feedback,
    IStatsStore stats,
    IParkingLot parking,
    IRetrainLog retrains,
    IDecisionLog decisions,
    IFeedbackKeys keys,
    IServiceProvider services,
    TimeProvider time)
{
    /// <summary>The latest events whose delay (received − routed) is averaged: one decision read each.</summary>
    public const int DelaySampleSize = 20;

    /// <summary>The span of feedback read per call: only its day partitions (today's and yesterday's) are scanned.</summary>
    public const int WindowHours = 24;

    /// <summary>At most this many events of the window are read per call; past it the window numbers are lower bounds.</summary>
    public const int MaxWindowEvents = 20_000;

    public async Task<StatsResponse> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var profile = profiles.Current?.Profile;
        var models = profile?.Models.Select(m => m.Name).ToList() ?? [];
        string? storageError = null;

        var snapshot = tally.Snapshot();
        var saved = snapshot.BestSingleCost - snapshot.ChosenCost;
        var decisionStats = new DecisionStats(
            "instance",
            snapshot.Decisions,
            snapshot.BestSingleModel ?? (profile is null || profile.Models.Count == 0 ? null : profile.Models[DecisionTally.BestSingleModel(profile)].Name),
            snapshot.ChosenCost,
            snapshot.BestSingleCost,
            saved,
            snapshot.BestSingleCost > 0 ? Math.Round(100 * saved / snapshot.BestSingleCost, 2) : 0,
            snapshot.Minutes);

        long received = 0;
        var truncated = false;
        var latest = new List<FeedbackEvent>();
        var byModel = new Dictionary<string, double>(StringComparer.Ordinal);
        var receivedByModel = new Dictionary<string, long>(StringComparer.Ordinal);
        var parkedByModel = new Dictionary<string, long>(StringComparer.Ordinal);
        var byCluster = new List<ClusterCount>();
        var parkedByQueue = new Dictionary<string, long>(StringComparer.Ordinal);
        var retrainList = new List<RetrainOutcome>();
        var lags = new List<double>();
        long duplicates = 0;
        double? meanDelay = null;
        try
        {
            var since = now.AddHours(-WindowHours);
            await foreach (var stored in feedback.ListReceivedAsync(since, now, cancellationToken))
            {
                if (received == MaxWindowEvents)
                {
                    truncated = true;
                    break;
                }

                var e = stored.Event;
                received++;
                var model = e.Model ?? "(routed)";
                receivedByModel[model] = receivedByModel.GetValueOrDefault(model) + 1;
                if (stored.StoredAt is { } at)
                {
                    lags.Add(Math.Max(0, (at - e.ReceivedAt).TotalSeconds));
                }

                latest.Add(e);
                if (latest.Count > 4 * DelaySampleSize)
                {
                    latest = [.. latest.OrderByDescending(x => x.ReceivedAt).Take(DelaySampleSize)];
                }
            }

            duplicates = await keys.ResendsAsync(since, now, cancellationToken);

            latest = [.. latest.OrderByDescending(x => x.ReceivedAt).Take(DelaySampleSize)];
            var delays = new List<double>();
            foreach (var e in latest)
            {
                if (await decisions.GetAsync(e.RequestId, cancellationToken) is { } decision)
                {
                    delays.Add((e.ReceivedAt - decision.At).TotalSeconds);
                }
            }

            meanDelay = delays.Count == 0 ? null : Math.Round(delays.Average(), 3);

            if (profile is not null)
            {
                foreach (var (cluster, cells) in await stats.ReadAsync(profile.Version, profile.Centroids.Count, profile.Models.Count, cancellationToken))
                {
                    for (var m = 0; m < cells.Length && m < models.Count; m++)
                    {
                        if (cells[m].Count > 0)
                        {
                            byModel[models[m]] = byModel.GetValueOrDefault(models[m]) + cells[m].Count;
                            byCluster.Add(new ClusterCount(cluster, models[m], cells[m].Count, cells[m].MeanScore));
                        }
                    }
                }
            }

            await foreach (var p in parking.ListAsync(cancellationToken))
            {
                parkedByQueue[p.Queue] = parkedByQueue.GetValueOrDefault(p.Queue) + 1;
                if (p.Queue == QueueNames.Feedback)
                {
                    var model = ParkedModel(p.Body);
                    parkedByModel[model] = parkedByModel.GetValueOrDefault(model) + 1;
                }
            }

            await foreach (var r in retrains.ListAsync(cancellationToken))
            {
                retrainList.Add(r);
                if (retrainList.Count == 5)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The page still shows the per-instance numbers when storage is away.
            storageError = e.Message;
        }

        var newest = latest.Count == 0 ? null : (DateTimeOffset?)latest[0].ReceivedAt;
        var feedbackStats = new FeedbackStats(
            received,
            Math.Round(byModel.Values.Sum(), 6),
            parkedByQueue.Values.Sum(),
            parkedByQueue,
            byModel,
            [.. byCluster.OrderBy(c => c.Cluster).ThenBy(c => c.Model, StringComparer.Ordinal)],
            newest,
            newest is { } n ? Math.Round((now - n).TotalSeconds, 1) : null,
            meanDelay,
            latest.Count,
            WindowHours,
            truncated,
            receivedByModel,
            parkedByModel,
            duplicates,
            new IngestionLag(
                lags.Count == 0 ? null : Math.Round(lags.Average(), 3),
                lags.Count == 0 ? null : Math.Round(lags.Max(), 3),
                lags.Count,
                services.GetService<LocalQueues>()?.Feedback.Pending));

        return new StatsResponse(
            now,
            profile?.Version,
            models,
            decisionStats,
            feedbackStats,
            "shared",
            retrainList,
            retrainList.Count == 0 ? null : retrainList[0],
            Backends(models),
            storageError,
            services.GetService<WriteBehindDecisionLog>() is { } buffer
                ? new DecisionStorage(services.GetRequiredService<IOptions<StorageOptions>>().Value.DecisionRetentionDays, buffer.Stats, services.GetService<PurgeExpired>()?.Last)
                : null);
    }

    // A parked body is the event as sent: its model when it names one; unreadable ones are counted apart.
    private static string ParkedModel(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<FeedbackEvent>(body, ApplicationJson.Web)?.Model ?? "(routed)";
        }
        catch (JsonException)
        {
            return "(unreadable)";
        }
    }

    // Circuit breakers when a host registered them; else every configured backend (or profile model) is "closed".
    private IReadOnlyList<BackendState> Backends(IReadOnlyList<string> models)
    {
        if (services.GetService<IBackendHealth>()?.Snapshot() is { Count: > 0 } states)
        {
            return states;
        }

        var names = services.GetService<ChatBackends>()?.Models.Select(m => m.Name).ToList() is { Count: > 0 } configured ? configured : models;
        return [.. names.Select(BackendState.Fresh)];
    }
}
