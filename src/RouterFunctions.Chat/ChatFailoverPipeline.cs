using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace RouterFunctions.Chat;

/// <summary>
/// The failover loop as a Polly retry: attempt n calls the n-th candidate of the <see cref="FailoverRun"/> carried
/// in the <see cref="ResilienceContext"/>, with no delay (another model is not throttled by the last one's 429).
/// Polly decides "again or give up" from <see cref="ChatFailurePolicy.IsRetryable"/> and the run's attempt limit, and
/// its <c>OnRetry</c> reports each failure that is failed over; the last failure (no next candidate) is reported
/// here after the pipeline gives up, because Polly only calls <c>OnRetry</c> when another attempt follows.
/// Shared by every request: all per-request state lives in the run.
/// </summary>
internal sealed partial class ChatFailoverPipeline
{
    private static readonly ResiliencePropertyKey<FailoverRun> RunKey = new("router.failover.run");

    private readonly IReadOnlyDictionary<string, IChatClient> _backends;
    private readonly IModelFailureSink _failures;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    public ChatFailoverPipeline(IReadOnlyDictionary<string, IChatClient> backends, IModelFailureSink failures, int maxAttempts, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _backends = backends;
        _failures = failures;
        _logger = logger ?? NullLogger.Instance;
        MaxAttempts = maxAttempts;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                // Polly wants at least one retry; a run's own limit (ShouldHandle) stops earlier, e.g. a pass-through's 1.
                MaxRetryAttempts = Math.Max(1, maxAttempts - 1),
                Delay = TimeSpan.Zero,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } error
                    && Run(args.Context).HasNext
                    && ChatFailurePolicy.IsRetryable(error, args.Context.CancellationToken)),
                OnRetry = async args =>
                {
                    var run = Run(args.Context);
                    await FailedAsync(run, run.Candidates[args.AttemptNumber], args.Outcome.Exception!, args.Context.CancellationToken);
                    run.Attempt = args.AttemptNumber + 1;
                },
            })
            .Build();
    }

    public int MaxAttempts { get; }

    public IReadOnlyDictionary<string, IChatClient> Backends => _backends;

    /// <summary>A run over <paramref name="rankedModels"/> (best first); <paramref name="maxAttempts"/> may only lower the pipeline's bound.</summary>
    /// <param name="escalated">Why the candidates are called past their open circuits, or null (see <see cref="ChatRoute.Escalated"/>).</param>
    public FailoverRun Plan(IEnumerable<string> rankedModels, string? requestId, int? maxAttempts = null, string? escalated = null) =>
        new(_backends, rankedModels, Math.Min(maxAttempts ?? MaxAttempts, MaxAttempts), requestId, escalated);

    public async Task<ChatResponse> GetResponseAsync(
        FailoverRun run, IReadOnlyList<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var response = await ExecuteAsync(
            run,
            static (context, state) => new ValueTask<ChatResponse>(
                state.Backends[Run(context).Current].GetResponseAsync(state.Conversation, state.Options, context.CancellationToken)),
            new CallState(_backends, conversation, CallOptions(run, options)),
            cancellationToken);
        response.ModelId = run.Current;
        (response.AdditionalProperties ??= [])[ChatResponseProperties.Attempts] = run.Attempt + 1;
        return response;
    }

    /// <summary>
    /// Streaming fails over only until the first update: the pipeline's callback opens the stream and waits for that
    /// first update, so Polly fails over exactly the errors that come before it. Once it is in hand the answer is
    /// committed to that model (the caller may already be writing text), and the rest is read here, outside Polly: a
    /// retryable error after the first update is reported to the sink and then propagates.
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        FailoverRun run, IReadOnlyList<ChatMessage> conversation, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var (updates, any) = await ExecuteAsync(
            run,
            static async (context, state) =>
            {
                var stream = state.Backends[Run(context).Current]
                    .GetStreamingResponseAsync(state.Conversation, state.Options, context.CancellationToken)
                    .GetAsyncEnumerator(context.CancellationToken);
                try
                {
                    return (stream, await stream.MoveNextAsync());
                }
                catch
                {
                    await stream.DisposeAsync();
                    throw;
                }
            },
            new CallState(_backends, conversation, CallOptions(run, options)),
            cancellationToken);

        await using (updates)
        {
            if (!any)
            {
                yield break;
            }

            var model = run.Current;
            var first = updates.Current;
            first.ModelId = model;
            (first.AdditionalProperties ??= [])[ChatResponseProperties.Attempts] = run.Attempt + 1;
            yield return first;
            while (true)
            {
                bool more;
                try
                {
                    more = await updates.MoveNextAsync();
                }
                catch (Exception ex) when (ChatFailurePolicy.IsRetryable(ex, cancellationToken))
                {
                    // Committed: text may already be on its way to the caller. Report the model, then propagate.
                    LogFailedMidStream(_logger, model, ChatFailurePolicy.Describe(ex), ex);
                    await RecordAsync(run.RequestId, model, ex, cancellationToken);
                    throw;
                }

                if (!more)
                {
                    yield break;
                }

                updates.Current.ModelId = model;
                yield return updates.Current;
            }
        }
    }

    private async Task<TResult> ExecuteAsync<TResult>(
        FailoverRun run, Func<ResilienceContext, CallState, ValueTask<TResult>> call, CallState state, CancellationToken cancellationToken)
    {
        if (run.Limit == 0)
        {
            throw run.NoAnswer();
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RunKey, run);
        try
        {
            return await _pipeline.ExecuteAsync(call, context, state);
        }
        catch (Exception ex) when (ChatFailurePolicy.IsRetryable(ex, cancellationToken))
        {
            // Polly gave up on a retryable failure: the attempts ran out. It still counts, and is still reported.
            await FailedAsync(run, run.Current, ex, cancellationToken);
            throw run.NoAnswer();
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static FailoverRun Run(ResilienceContext context) => context.Properties.GetValue(RunKey, null!);

    /// <summary>An escalated run's calls are marked, so each model's circuit breaker lets them through (see <see cref="CircuitBreakerChatClient"/>).</summary>
    private ChatOptions? CallOptions(FailoverRun run, ChatOptions? options)
    {
        if (run.Escalated is null)
        {
            return options;
        }

        LogEscalated(_logger, run.RequestId, run.Escalated, string.Join(", ", run.Candidates.Take(run.Limit)));
        return CircuitBreakerChatClient.Escalated(options);
    }

    private async Task FailedAsync(FailoverRun run, string model, Exception error, CancellationToken cancellationToken)
    {
        run.Add(new ModelFailure(model, error));
        if (error is BrokenCircuitException broken)
        {
            // The model was not called (its circuit opened after routing ranked it): a reroute, not the model's answer
            // to this request, so no 'failed' feedback; the breaker already counted the failures that opened it.
            LogRerouted(_logger, model, broken.RetryAfter, run.RequestId);
            return;
        }

        LogFailedOver(_logger, model, ChatFailurePolicy.Describe(error), run.Failures.Count, run.RequestId, error);
        await RecordAsync(run.RequestId, model, error, cancellationToken);
    }

    private async Task RecordAsync(string? requestId, string model, Exception error, CancellationToken cancellationToken)
    {
        try
        {
            await _failures.RecordFailureAsync(requestId, model, error, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSinkFailed(_logger, model, ex);
        }
    }

    private sealed record CallState(IReadOnlyDictionary<string, IChatClient> Backends, IReadOnlyList<ChatMessage> Conversation, ChatOptions? Options);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} failed ({Reason}) on attempt {Attempt} of request {RequestId}; trying the next-ranked model if any")]
    private static partial void LogFailedOver(ILogger logger, string model, string reason, int attempt, string? requestId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} not called: its circuit is open (retry after {RetryAfter}); rerouting request {RequestId} to the next-ranked model if any")]
    private static partial void LogRerouted(ILogger logger, string model, TimeSpan? retryAfter, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} escalated ({Reason}): calling {Models} past their open circuits")]
    private static partial void LogEscalated(ILogger logger, string? requestId, string reason, string models);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} failed ({Reason}) after its answer had started streaming; not failing over")]
    private static partial void LogFailedMidStream(ILogger logger, string model, string reason, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the failure of model {Model}")]
    private static partial void LogSinkFailed(ILogger logger, string model, Exception error);
}
