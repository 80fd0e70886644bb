using System.ClientModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using RouterFunctions.Aggregation;
using RouterFunctions.Chat;
using RouterFunctions.Application;
using RouterFunctions.Application.Aggregation;
using RouterFunctions.Application.Chat;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Application.Routing;
using RouterFunctions.Core.Routing;
using RouterFunctions.Http.Endpoints;

namespace RouterFunctions.Http.OpenAi;

/// <summary>
/// POST /v1/chat/completions, OpenAI-compatible. Model "router" (or "router:&lt;policy&gt;") routes on the
/// conversation and calls the chosen model, failing over down the ranking; any configured model name passes straight
/// through. GET /v1/models lists what can be asked for.
/// </summary>
public static partial class ChatCompletionsApi
{
    public const string RouterModel = "router";

    /// <summary>Several models answer together (Router-R1 style), run in process for the request.</summary>
    public const string AggregateModel = "router-r1";

    public static Ok<object> ListModels(ChatBackends backends, IOptions<RouterOptions> options) => TypedResults.Ok<object>(new
        {
            @object = "list",
            data = new[] { RouterModel, AggregateModel }
                .Concat(options.Value.Policies.Keys.Select(p => $"{RouterModel}:{p}"))
                .Concat(backends.Clients.Keys)
                .Select(id => new { id, @object = "model", created = 0, owned_by = "routerfunctions" }),
        });

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        RoutingService routing,
        ProfileHolder profiles,
        ChatBackends backends,
        FeedbackPublisher feedback,
        IModelFailureSink unattributed,
        AggregationService aggregation,
        IOptions<RouterOptions> options,
        IOptions<FailoverOptions> failover,
        TimeProvider time,
        ILogger<ChatCompletionRequest> logger,
        CancellationToken cancellationToken)
    {
        if (await JsonBody.ReadTextAsync(context.Request, cancellationToken) is not { } body)
        {
            return Problems.NotUtf8();
        }

        ChatCompletionRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<ChatCompletionRequest>(body.Span, ChatWire.Json);
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
        if (request.Model == AggregateModel)
        {
            return await AggregateAsync(context, aggregation, messages, request.Stream, time, cancellationToken);
        }

        RouterFunctions.Chat.FailoverChatClient client;
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
                return Problems.From(UseCaseError.NotReady("The first profile is still being trained or loaded; retry shortly."));
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
        else if (backends.Contains(request.Model))
        {
            // One candidate: its 429 answers 429, its 5xx, timeout or transport error 503, like a routed request's.
            client = new RouterFunctions.Chat.FailoverChatClient(backends.Clients, [request.Model], unattributed, 1, logger);
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
                await StreamAsync(context, client, messages, chatOptions, id, created, request.Model, routed, request.StreamOptions?.IncludeUsage == true, cancellationToken);
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
            if (routed is not null && !context.Response.HasStarted)
            {
                // So the caller can match this failure with the 'failed' feedback recorded for each model.
                context.Response.Headers["x-router-request-id"] = routed.RequestId;
            }

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

    private static async Task<IResult> AggregateAsync(
        HttpContext context, AggregationService aggregation, List<ChatMessage> messages, bool stream, TimeProvider time, CancellationToken cancellationToken)
    {
        var question = messages.Last(m => m.Role == ChatRole.User).Text;
        var run = await aggregation.RunAsync(question, cancellationToken);
        if (!run.Succeeded)
        {
            return Problems.From(run.Error);
        }

        var job = run.Value;

        var id = "chatcmpl-" + job.Id;
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var summary = job.Summary();
        context.Response.Headers["x-router-model"] = AggregateModel;
        context.Response.Headers["x-router-request-id"] = job.Id;
        context.Response.Headers["x-router-calls"] = summary.PoolCalls.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-router-spend"] = summary.Spent.ToString(CultureInfo.InvariantCulture);
        var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, job.Answer ?? ""));
        if (!stream)
        {
            return TypedResults.Json(ChatWire.Completion(answer, id, created, AggregateModel), ChatWire.Json);
        }

        context.Response.ContentType = "text/event-stream";
        await WriteEventAsync(context.Response, ChatWire.Chunk(id, created, AggregateModel, "assistant", job.Answer ?? "", null), cancellationToken);
        await WriteEventAsync(context.Response, ChatWire.Chunk(id, created, AggregateModel, null, null, "stop"), cancellationToken);
        await context.Response.WriteAsync("data: [DONE]\n\n", cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task StreamAsync(
        HttpContext context, RouterFunctions.Chat.FailoverChatClient client, List<ChatMessage> messages, ChatOptions options, string id, long created, string requested, Routed? routed, bool includeUsage, CancellationToken cancellationToken)
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
        if (includeUsage && usage is not null)
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
