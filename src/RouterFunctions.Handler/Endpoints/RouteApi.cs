using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using RouterFunctions.Core.Embeddings;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Routing;
using RouterFunctions.Hosting;

namespace RouterFunctions.Handler.Endpoints;

/// <summary>POST /api/route: embed the query, pick the model, explain the pick.</summary>
internal static partial class RouteApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IResult> HandleAsync(
        HttpRequest request,
        IEmbeddingGenerator<string, Embedding<float>> embedder,
        ProfileHolder profiles,
        IDecisionLog decisions,
        IOptions<RouterOptions> options,
        TimeProvider time,
        ILogger<RouteRequest> logger,
        CancellationToken cancellationToken)
    {
        RouteRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<RouteRequest>(request.Body, Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return Problems.FromJson(e);
        }

        if (body is null)
        {
            return Problems.Field("body", "must be a JSON object");
        }

        if (Validate(body, options.Value) is { } invalid)
        {
            return invalid;
        }

        var policy = new RoutingPolicy
        {
            CostWeight = body.Policy?.CostWeight ?? options.Value.DefaultCostWeight,
            QualityBand = body.Policy?.QualityBand,
            MaxCost = body.Policy?.MaxCost,
        };
        if (policy.Validate() is { } bad)
        {
            return Problems.Field(bad.Field, bad.Problem);
        }

        if (profiles.Current is not { } router)
        {
            return Problems.NotReady("The first profile is still being trained or loaded; retry shortly (GET /api/health shows progress).");
        }

        var unknown = body.AllowedModels is null ? [] : router.UnknownModels(body.AllowedModels).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Field("allowedModels", $"unknown model(s): {string.Join(", ", unknown)}; GET /api/profiles/current lists the models");
        }

        var started = time.GetTimestamp();
        var embedding = (await embedder.GenerateAsync([body.Query!], cancellationToken: cancellationToken))[0];
        var embedded = time.GetTimestamp();
        RoutingDecision decision;
        try
        {
            decision = router.Decide(embedding.Vector.Span, policy, body.AllowedModels);
        }
        catch (ArgumentException e) when (e.ParamName == "allowedModels")
        {
            return Problems.Field("allowedModels", "none of these models is enabled");
        }

        var decided = time.GetTimestamp();

        var cache = embedding.AdditionalProperties?.TryGetValue(CachingEmbeddingGenerator.CacheProperty, out var tier) == true
            && tier is string name && name != CachingEmbeddingGenerator.Miss ? "hit" : "miss";
        var requestId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        LogDecision(logger, requestId, decision.Model, decision.Cluster, decision.OutOfDistribution, cache);
        try
        {
            await decisions.RecordAsync(
                new DecisionRecord(requestId, decision.ProfileVersion, decision.Model, decision.ClusterWeights, embedding.Vector.ToArray(), time.GetUtcNow()),
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Routing must not depend on storage: answer, and say that feedback on this request cannot be attributed.
            profiles.StorageFailed(e.Message);
            LogNotRecorded(logger, requestId, e.Message);
        }

        return TypedResults.Ok(new RouteResponse(
            requestId,
            decision.Model,
            decision.Candidates,
            decision.Cluster,
            decision.Distance,
            decision.OutOfDistribution,
            decision.ProfileVersion,
            cache,
            profiles.StorageReachable ? "ok" : "unreachable",
            new RouteTimings(
                Math.Round(time.GetElapsedTime(started, embedded).TotalMilliseconds, 3),
                Math.Round(time.GetElapsedTime(embedded, decided).TotalMilliseconds, 3),
                Math.Round(time.GetElapsedTime(started, decided).TotalMilliseconds, 3))));
    }

    private static IResult? Validate(RouteRequest body, RouterOptions options)
    {
        if (string.IsNullOrWhiteSpace(body.Query))
        {
            return Problems.Field("query", "is required and must not be empty or whitespace");
        }

        if (Encoding.UTF8.GetByteCount(body.Query) > options.MaxQueryBytes)
        {
            return Problems.Field("query", $"is longer than {options.MaxQueryBytes} bytes (UTF-8)");
        }

        if (body.AllowedModels is { Count: 0 })
        {
            return Problems.Field("allowedModels", "must name at least one model when present");
        }

        if (body.AllowedModels?.Any(string.IsNullOrWhiteSpace) == true)
        {
            return Problems.Field("allowedModels", "must not contain empty names");
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision {RequestId} not recorded (storage unreachable): {Error}")]
    private static partial void LogNotRecorded(ILogger logger, string requestId, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Routed {RequestId} to {Model} (cluster {Cluster}, ood {OutOfDistribution}, cache {Cache})")]
    private static partial void LogDecision(ILogger logger, string requestId, string model, int cluster, bool outOfDistribution, string cache);
}
