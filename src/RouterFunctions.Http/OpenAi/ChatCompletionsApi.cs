using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using RouterFunctions.Aggregation;
using RouterFunctions.Application;
using RouterFunctions.Application.Chat;
using RouterFunctions.Chat;
using RouterFunctions.Http.Endpoints;

namespace RouterFunctions.Http.OpenAi;

/// <summary>
/// POST /v1/chat/completions, OpenAI-compatible, over the chat use case: OpenAI's wire format in, the answer (or its
/// server-sent events) out, with x-router-* headers naming the routed model and its predictions. GET /v1/models lists
/// what can be asked for.
/// </summary>
public static class ChatCompletionsApi
{
    public static Ok<object> ListModels(ChatBackends backends, IOptions<RouterOptions> options)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(options);
        return TypedResults.Ok<object>(new
        {
            @object = "list",
            data = new[] { ChatModels.Router, ChatModels.Aggregate }
                .Concat(options.Value.Policies.Keys.Select(p => $"{ChatModels.Router}:{p}"))
                .Concat(backends.Clients.Keys)
                .Select(id => new { id, @object = "model", created = 0, owned_by = "routerfunctions" }),
        });
    }

    public static async Task<IResult> HandleAsync(
        HttpContext context, ChatCompletions chat, IOptions<RouterOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(chat);
        var (request, problem) = await JsonRequest.ReadAsync<ChatCompletionRequest>(context.Request, ChatWire.Json, cancellationToken);
        if (request is null)
        {
            return problem!;
        }

        if (ChatWire.Validate(request, options.Value.MaxMessages, options.Value.MaxChatBytes) is { } bad)
        {
            return Problems.Field(bad.Field, bad.Problem);
        }

        var command = new ChatCommand(request.Model!, ChatWire.ToChatMessages(request), ChatWire.ToOptions(request));
        var id = "chatcmpl-" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        if (request.Stream && command.Model != ChatModels.Aggregate)
        {
            var stream = await chat.StreamAsync(command, cancellationToken);
            if (!stream.Succeeded)
            {
                return Failed(context.Response, stream.Error);
            }

            await using var streamed = stream.Value;
            await StreamAsync(context.Response, streamed, id, created, request.StreamOptions?.IncludeUsage == true, cancellationToken);
            return TypedResults.Empty;
        }

        var outcome = await chat.CompleteAsync(command, cancellationToken);
        if (!outcome.Succeeded)
        {
            return Failed(context.Response, outcome.Error);
        }

        var answer = outcome.Value;
        if (answer.Job is { } job)
        {
            return await AggregatedAsync(context.Response, answer, job, created, request.Stream, cancellationToken);
        }

        AddRouterHeaders(context.Response, answer.Route, answer.Model);
        return TypedResults.Json(ChatWire.Completion(answer.Response, id, created, answer.Model), ChatWire.Json);
    }

    // router-r1: the job's id, calls and spend in headers; streamed as one chunk when asked to stream.
    private static async Task<IResult> AggregatedAsync(HttpResponse response, ChatAnswer answer, AggregationJob job, long created, bool stream, CancellationToken cancellationToken)
    {
        var id = "chatcmpl-" + job.Id;
        var summary = job.Summary();
        response.Headers["x-router-model"] = ChatModels.Aggregate;
        response.Headers["x-router-request-id"] = job.Id;
        response.Headers["x-router-calls"] = summary.PoolCalls.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-router-spend"] = summary.Spent.ToString(CultureInfo.InvariantCulture);
        if (!stream)
        {
            return TypedResults.Json(ChatWire.Completion(answer.Response, id, created, answer.Model), ChatWire.Json);
        }

        response.ContentType = "text/event-stream";
        await WriteEventAsync(response, ChatWire.Chunk(id, created, answer.Model, "assistant", answer.Response.Text, null), cancellationToken);
        await WriteEventAsync(response, ChatWire.Chunk(id, created, answer.Model, null, null, "stop"), cancellationToken);
        await response.WriteAsync("data: [DONE]\n\n", cancellationToken);
        return TypedResults.Empty;
    }

    private static IResult Failed(HttpResponse response, UseCaseError error)
    {
        if (error.RequestId is { } requestId)
        {
            // So the caller can match this failure with the 'failed' feedback recorded for each model.
            response.Headers["x-router-request-id"] = requestId;
        }

        return Problems.From(error);
    }

    private static async Task StreamAsync(HttpResponse response, StreamedChat stream, string id, long created, bool includeUsage, CancellationToken cancellationToken)
    {
        var model = stream.Model;
        AddRouterHeaders(response, stream.Route, model);
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await WriteEventAsync(response, ChatWire.Chunk(id, created, model, "assistant", "", null), cancellationToken);
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        var updates = stream.Updates;
        do
        {
            var update = updates.Current;
            finish ??= update.FinishReason;
            usage = update.Contents.OfType<UsageContent>().LastOrDefault()?.Details ?? usage;
            if (!string.IsNullOrEmpty(update.Text))
            {
                await WriteEventAsync(response, ChatWire.Chunk(id, created, model, null, update.Text, null), cancellationToken);
            }
        }
        while (await updates.MoveNextAsync());

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

    private static void AddRouterHeaders(HttpResponse response, ChatRoute? route, string model)
    {
        if (route is null)
        {
            return;
        }

        response.Headers["x-router-model"] = model;
        response.Headers["x-router-request-id"] = route.RequestId;
        if (route.Find(model) is { } answered)
        {
            response.Headers["x-router-predicted-quality"] = answered.PredictedQuality.ToString("0.####", CultureInfo.InvariantCulture);
            response.Headers["x-router-predicted-cost"] = answered.PredictedCost.ToString("0.########", CultureInfo.InvariantCulture);
        }

        // Health-aware routing says what it routed around, and when it had to call an open model anyway.
        if (route.Excluded is { Count: > 0 } excluded)
        {
            response.Headers["x-router-excluded"] = string.Join(",", excluded.Select(e => e.Model));
        }

        if (route.Escalated is { } escalated)
        {
            response.Headers["x-router-escalated"] = escalated;
        }
    }
}
