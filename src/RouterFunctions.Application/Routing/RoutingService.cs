using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RouterFunctions.Chat;
using RouterFunctions.Core.Embeddings;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Application.Routing;

/// <summary>A routed request: its id, the decision, where the embedding came from and how long each step took.</summary>
/// <param name="Excluded">Models left out because their circuit is open (see <see cref="BackendExclusions"/>).</param>
/// <param name="Escalated">Why the decision picked a model whose circuit is open (every candidate was), or null.</param>
public sealed record Routed(string RequestId, RoutingDecision Decision, string Cache, RouteTimings Timings, IReadOnlyList<BackendExclusion> Excluded, string? Escalated);

/// <summary>Milliseconds spent embedding, scoring, and both.</summary>
public sealed record RouteTimings(double Embed, double Score, double Total);

/// <summary>
/// Embed, decide, record the decision (so feedback can refer to it): what /api/route and /v1/chat/completions share.
/// Recording never waits on storage (the hosts' log is write-behind): without storage the router still answers, and says so. With backend health,
/// models whose circuit is open are left out of the decision, or, when all are, the decision is escalated
/// (<see cref="BackendExclusions"/>); both are logged and named in the answer. With exploration configured
/// (<see cref="Explorer"/>), some picks are drawn at random and the decision records how likely its pick was.
/// </summary>
public sealed partial class RoutingService(
    IEmbeddingGenerator<string, Embedding<float>> embedder,
    IDecisionLog decisions,
    RouterTelemetry telemetry,
    TimeProvider time,
    ILogger<RoutingService> logger,
    Status.DecisionTally? tally = null,
    IBackendHealth? health = null,
    Explorer? explorer = null)
{
    /// <summary>Callers check <see cref="Router.AnyEnabled"/> first: none of <paramref name="allowedModels"/> enabled is an expected outcome.</summary>
    public async Task<Routed> RouteAsync(Router router, string text, RoutingPolicy policy, IReadOnlyCollection<string>? allowedModels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(router);
        using var activity = RouterTelemetry.Traces.StartActivity("route");
        var started = time.GetTimestamp();
        var embedding = (await embedder.GenerateAsync([text], cancellationToken: cancellationToken))[0];
        var embedded = time.GetTimestamp();
        var filter = health is null ? new HealthFilter(allowedModels, [], null) : BackendExclusions.Apply(router.Profile, allowedModels, health.Snapshot());
        var decision = router.Decide(embedding.Vector.Span, policy, filter.Allowed);
        if (explorer is not null)
        {
            decision = explorer.Apply(decision, policy);
        }

        var decided = time.GetTimestamp();
        tally?.Record(decision, router.Profile);

        var tierName = embedding.AdditionalProperties?.TryGetValue(CachingEmbeddingGenerator.CacheProperty, out var tier) == true && tier is string name
            ? name
            : CachingEmbeddingGenerator.Miss;
        var cache = tierName == CachingEmbeddingGenerator.Miss ? "miss" : "hit";
        var requestId = RequestIds.New(time.GetUtcNow());
        LogDecision(logger, requestId, decision.Model, decision.Cluster, decision.OutOfDistribution, cache);
        if (filter.Excluded.Count > 0)
        {
            var excluded = string.Join("; ", filter.Excluded.Select(e => $"{e.Model}: {e.Reason}"));
            if (filter.Escalated is { } escalated)
            {
                LogEscalated(logger, requestId, escalated, decision.Model, excluded);
                telemetry.Escalated(decision.Model);
            }
            else
            {
                LogExcluded(logger, requestId, decision.Model, excluded);
            }
        }

        // The hosts' decision log is write-behind (WriteBehindDecisionLog): this returns without waiting on storage.
        await decisions.RecordAsync(
            new DecisionRecord(requestId, decision.ProfileVersion, decision.Model, decision.ClusterWeights, Vector(embedding), time.GetUtcNow(), decision.Propensity),
            cancellationToken);

        var (embedMs, scoreMs) = (time.GetElapsedTime(started, embedded).TotalMilliseconds, time.GetElapsedTime(embedded, decided).TotalMilliseconds);
        telemetry.Routed(embedMs, scoreMs, tierName, decision.Model, decision.OutOfDistribution);
        activity?.SetTag("router.request_id", requestId);
        activity?.SetTag("router.model", decision.Model);
        activity?.SetTag("router.cluster", decision.Cluster);
        activity?.SetTag("router.cache", tierName);
        activity?.SetTag("router.profile_version", decision.ProfileVersion);
        return new Routed(
            requestId, decision, cache, new RouteTimings(Math.Round(embedMs, 3), Math.Round(scoreMs, 3), Math.Round(embedMs + scoreMs, 3)), filter.Excluded, filter.Escalated);
    }

    // The embedding's own array when it is exactly that (the cache's vectors are never written after they are made):
    // a repeated query then records its decision without copying 2 KiB.
    private static float[] Vector(Embedding<float> embedding) =>
        MemoryMarshal.TryGetArray(embedding.Vector, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : embedding.Vector.ToArray();

    [LoggerMessage(Level = LogLevel.Information, Message = "Routed {RequestId} to {Model} around open circuits: {Excluded}")]
    private static partial void LogExcluded(ILogger logger, string requestId, string model, string excluded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routed {RequestId} escalated ({Reason}) to {Model}, whose circuit is open too: {Excluded}")]
    private static partial void LogEscalated(ILogger logger, string requestId, string reason, string model, string excluded);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Routed {RequestId} to {Model} (cluster {Cluster}, ood {OutOfDistribution}, cache {Cache})")]
    private static partial void LogDecision(ILogger logger, string requestId, string model, int cluster, bool outOfDistribution, string cache);
}
