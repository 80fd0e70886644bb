using System.ClientModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using RouterFunctions.Chat;
using RouterFunctions.Core.Routing;
using RouterFunctions.Handler.Endpoints;
using RouterFunctions.Handler.Functions;
using RouterFunctions.Hosting;

namespace RouterFunctions.Handler.OpenAi;

/// <summary>
/// POST /v1/chat/completions, OpenAI-compatible. Model "router" (or "router:&lt;policy&gt;") routes on the
/// conversation and calls the chosen model, failing over down the ranking; any configured model name passes straight
/// through. GET /v1/models lists what can be asked for.
/// </summary>
internal static partial class ChatCompletionsApi
{
    public const string RouterModel = "router";

    public static void MapOpenAi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", HandleAsync);
        app.MapGet("/v1/models", (ChatBackends backends, IOptions<RouterOptions> options) => TypedResults.Ok(new
        {
            @object = "list",
            data = new[] { RouterModel }
                .Concat(options.Value.Policies.Keys.Select(p => $"{RouterModel}:{p}"))
                .Concat(backends.Clients.Keys)
                .Select(id => new { id, @object = "model", created = 0, owned_by = "routerfunctions" }),
        }));
    }

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        RoutingService routing,
        ProfileHolder profiles,
        ChatBackends backends,
        FeedbackPublisher feedback,
        IOptions<RouterOptions> options,
        IOptions<FailoverOptions> failover,
        TimeProvider time,
        ILogger<ChatCompletionRequest> logger,
        CancellationToken cancellationToken)
    {
        ChatCompletionRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<ChatCompletionRequest>(context.Request.Body, ChatWire.Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return Problems.FromJson(e);
        }

        if (request is null)
        {
            return Problems.Field("body", "must be a JSON object");
        }

        if (ChatWire.Validate(request, options.Value.MaxMessages, options.Value.MaxChatBytes) is { } bad)
        {
            return Problems.Field(bad.Field, bad.Problem);
        }

        var messages = ChatWire.ToChatMessages(request);
        var chatOptions = ChatWire.ToOptions(request);
        IChatClient client;
        Routed? routed = null;
        if (request.Model == RouterModel || request.Model!.StartsWith(RouterModel + ":", StringComparison.Ordinal))
        {
            var policyName = request.Model.Length > RouterModel.Length ? request.Model[(RouterModel.Length + 1)..] : null;
            var policy = policyName is null
                ? new RoutingPolicy { CostWeight = options.Value.DefaultCostWeight }
                : options.Value.Policies.TryGetValue(policyName, out var named) ? named.ToPolicy() : null;
            if (policy is null)
            {
                return Problems.Field("model", $"unknown policy '{policyName}'; GET /v1/models lists them");
            }

            if (profiles.Current is not { } router)
            {
                return Problems.NotReady("The first profile is still being trained or loaded; retry shortly.");
            }

            var callable = router.Profile.Models.Select(m => m.Name).Where(backends.Contains).ToList();
            if (callable.Count == 0)
            {
                return TypedResults.Problem(
                    detail: "No model of the routing profile has a configured backend (configuration section 'Models').",
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "No model to call.");
            }

            routed = await routing.RouteAsync(router, ChatWire.RoutingText(messages, options.Value.ChatRoutingUserTurns), policy, callable, cancellationToken);
            var ranked = routed.Decision.Candidates.Select(c => c.Model).Prepend(routed.Decision.Model);
            client = new RouterFunctions.Chat.FailoverChatClient(
                backends.Clients, ranked, new FailureFeedbackSink(routed.RequestId, feedback, time), failover.Value.MaxAttempts, logger);
        }
        else if (backends.TryGet(request.Model, out var direct))
        {
            client = direct;
        }
        else
        {
            return Problems.Field("model", $"unknown model '{request.Model}'; GET /v1/models lists them");
        }

        var id = "chatcmpl-" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        try
        {
            if (request.Stream)
            {
                await StreamAsync(context, client, messages, chatOptions, id, created, request.Model, routed, cancellationToken);
                return TypedResults.Empty;
            }

            var response = await client.GetResponseAsync(messages, chatOptions, cancellationToken);
            var model = response.ModelId ?? request.Model;
            AddRouterHeaders(context.Response, routed, model);
            return TypedResults.Json(ChatWire.Completion(response, id, created, model), ChatWire.Json);
        }
        catch (ChatFailoverException e)
        {
            LogExhausted(logger, e.Failures.Count, e.Message);
            var allThrottled = e.Failures.Count > 0 && e.Failures.All(f => ChatFailurePolicy.StatusOf(f.Error) == 429);
            return TypedResults.Problem(
                detail: string.Join("; ", e.Failures.Select(f => $"{f.Model}: {f.Reason}")),
                statusCode: allThrottled ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable,
                title: "No model could answer.");
        }
        catch (ClientResultException e) when (!context.Response.HasStarted)
        {
            var status = e.Status is 400 or 413 or 422 ? e.Status : StatusCodes.Status502BadGateway;
            return TypedResults.Problem(detail: $"The model refused the request ({e.Status}).", statusCode: status, title: "The model refused the request.");
        }
    }

    private static async Task StreamAsync(
        HttpContext context, IChatClient client, List<ChatMessage> messages, ChatOptions options, string id, long created, string requested, Routed? routed, CancellationToken cancellationToken)
    {
        await using var updates = client.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);

        // The first update says which model answers (failover happens only before it), so headers can name it.
        var hasFirst = await updates.MoveNextAsync();
        var model = (hasFirst ? updates.Current.ModelId : null) ?? requested;
        var response = context.Response;
        AddRouterHeaders(response, routed, model);
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await WriteEventAsync(response, ChatWire.Chunk(id, created, model, "assistant", "", null), cancellationToken);
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        for (var more = hasFirst; more; more = await updates.MoveNextAsync())
        {
            var update = updates.Current;
            finish ??= update.FinishReason;
            usage = update.Contents.OfType<UsageContent>().LastOrDefault()?.Details ?? usage;
            if (!string.IsNullOrEmpty(update.Text))
            {
                await WriteEventAsync(response, ChatWire.Chunk(id, created, model, null, update.Text, null), cancellationToken);
            }
        }

        await WriteEventAsync(response, ChatWire.Chunk(id, created, model, null, null, ChatWire.FinishReason(finish)), cancellationToken);
        if (usage is not null)
        {
            await WriteEventAsync(response, ChatWire.Chunk(id, created, model, null, null, null, usage), cancellationToken);
        }

        await response.WriteAsync("data: [DONE]\n\n", cancellationToken);
    }

    private static async Task WriteEventAsync(HttpResponse response, object chunk, CancellationToken cancellationToken)
    {
        await response.WriteAsync("data: " + JsonSerializer.Serialize(chunk, ChatWire.Json) + "\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static void AddRouterHeaders(HttpResponse response, Routed? routed, string model)
    {
        if (routed is null)
        {
            return;
        }

        response.Headers["x-router-model"] = model;
        response.Headers["x-router-request-id"] = routed.RequestId;
        if (routed.Decision.Candidates.FirstOrDefault(c => c.Model == model) is { } answered)
        {
            response.Headers["x-router-predicted-quality"] = answered.PredictedQuality.ToString("0.####", CultureInfo.InvariantCulture);
            response.Headers["x-router-predicted-cost"] = answered.PredictedCost.ToString("0.########", CultureInfo.InvariantCulture);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No model answered after {Attempts} attempts: {Error}")]
    private static partial void LogExhausted(ILogger logger, int attempts, string error);
}
