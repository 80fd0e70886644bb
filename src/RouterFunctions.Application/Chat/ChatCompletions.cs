using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RouterFunctions.Aggregation;
using RouterFunctions.Application.Aggregation;
using RouterFunctions.Chat;

namespace RouterFunctions.Application.Chat;

/// <summary>A chat request: the model asked for ("router", "router:&lt;policy&gt;", "router-r1" or a configured model), the conversation, the call options.</summary>
public sealed record ChatCommand(string Model, IReadOnlyList<ChatMessage> Messages, ChatOptions Options);

/// <summary>An answer: the response, the model that gave it, the route when routed, the job when aggregated.</summary>
public sealed record ChatAnswer(ChatResponse Response, string Model, ChatRoute? Route, AggregationJob? Job = null);

/// <summary>
/// A stream whose first update is in: from here on the answer is committed to <see cref="Model"/> (failover happens
/// only before the first update), so headers can name it before any text is written.
/// </summary>
public sealed class StreamedChat(string model, ChatRoute? route, IAsyncEnumerator<ChatResponseUpdate> updates) : IAsyncDisposable
{
    public string Model { get; } = model;

    public ChatRoute? Route { get; } = route;

    /// <summary>Positioned on the first update.</summary>
    public IAsyncEnumerator<ChatResponseUpdate> Updates { get; } = updates;

    public ValueTask DisposeAsync() => Updates.DisposeAsync();
}

/// <summary>
/// The chat use case over the one registered <see cref="IChatClient"/> (routing + failover): checks what the request
/// asks for can be served, calls the client, and turns its failures into values — every model throttled, none able to
/// answer, a model refusing the request.
/// </summary>
public sealed partial class ChatCompletions(
    IChatClient client,
    ProfileChatRouter router,
    ProfileHolder profiles,
    ChatBackends backends,
    AggregationService aggregation,
    ILogger<ChatCompletions> logger)
{
    public async Task<Outcome<ChatAnswer>> CompleteAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Model == ChatModels.Aggregate)
        {
            var run = await aggregation.RunAsync(command.Messages.Last(m => m.Role == ChatRole.User).Text, cancellationToken);
            return run.Succeeded
                ? new ChatAnswer(new ChatResponse(new ChatMessage(ChatRole.Assistant, run.Value.Answer ?? "")), ChatModels.Aggregate, null, run.Value)
                : run.Error;
        }

        if (Check(command) is { } refused)
        {
            return refused;
        }

        try
        {
            var response = await client.GetResponseAsync(command.Messages, Options(command), cancellationToken);
            return new ChatAnswer(response, response.ModelId ?? command.Model, response.GetRoute());
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            return failure;
        }
    }

    /// <summary>Starts a streamed answer ("router-r1" is answered whole: use <see cref="CompleteAsync"/>).</summary>
    public async Task<Outcome<StreamedChat>> StreamAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Check(command) is { } refused)
        {
            return refused;
        }

        var updates = client.GetStreamingResponseAsync(command.Messages, Options(command), cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            if (!await updates.MoveNextAsync())
            {
                await updates.DisposeAsync();
                return UseCaseError.Unavailable("No model could answer.", "The model ended the stream without an answer.");
            }
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            await updates.DisposeAsync();
            return failure;
        }

        return new StreamedChat(updates.Current.ModelId ?? command.Model, updates.Current.GetRoute(), updates);
    }

    private UseCaseError? Check(ChatCommand command)
    {
        if (ChatModels.IsRouter(command.Model))
        {
            if (router.PolicyFor(command.Model) is null)
            {
                return UseCaseError.Invalid("model", $"unknown policy '{ChatModels.PolicyOf(command.Model)}'; GET /v1/models lists them");
            }

            if (profiles.Current is not { } current)
            {
                return UseCaseError.NotReady("The first profile is still being trained or loaded; retry shortly.");
            }

            return router.Callable(current).Count == 0
                ? UseCaseError.Unavailable("No model to call.", "No model of the routing profile has a configured backend (configuration section 'Models').")
                : null;
        }

        return backends.Contains(command.Model) ? null : UseCaseError.Invalid("model", $"unknown model '{command.Model}'; GET /v1/models lists them");
    }

    // The model name travels in the options: a configured name passes straight through, "router…" is routed.
    private static ChatOptions Options(ChatCommand command)
    {
        var options = command.Options.Clone();
        options.ModelId = command.Model;
        return options;
    }

    private UseCaseError? Failure(Exception e)
    {
        switch (e)
        {
            case ChatFailoverException failover:
                LogExhausted(logger, failover.Failures.Count, failover.Message);
                var allThrottled = failover.Failures.Count > 0 && failover.Failures.All(f => ChatFailurePolicy.StatusOf(f.Error) == 429);
                return new UseCaseError(
                    allThrottled ? ErrorKind.Throttled : ErrorKind.Unavailable,
                    "No model could answer.",
                    string.Join("; ", failover.Failures.Select(f => $"{f.Model}: {f.Reason}")),
                    RequestId: failover.RequestId);
            case ClientResultException refused:
                // The model's own 400/413/422 are the caller's to fix; anything else is the model's.
                return new UseCaseError(ErrorKind.BadGateway, "The model refused the request.", $"The model refused the request ({refused.Status}).", Status: refused.Status is 400 or 413 or 422 ? refused.Status : null);
            default:
                return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No model answered after {Attempts} attempts: {Error}")]
    private static partial void LogExhausted(ILogger logger, int attempts, string error);
}
