using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace RouterFunctions.Chat;

/// <summary>
/// Retries the same model, a bounded number of times, when it is throttled or briefly down (429, 503): a Polly retry
/// with exponential backoff and jitter (so callers throttled together do not come back together), capped at
/// <see cref="ModelRetryOptions.MaxDelay"/>. A <c>retry-after-ms</c> or <c>Retry-After</c> header is honoured
/// instead; one that asks for longer than the cap is not waited for at all — the error goes to failover, and the
/// next-ranked model answers sooner than this one would. Other errors, and the caller's cancellation, are not retried.
/// Streaming retries only until the first update (after it, text may already be with the caller).
/// </summary>
public sealed partial class ModelRetryChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;

    public ModelRetryChatClient(IChatClient innerClient, ModelRetryOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
        : this(innerClient, options, timeProvider, logger, randomizer: null)
    {
    }

    /// <param name="randomizer">The jitter's source of [0, 1) numbers; tests fix it.</param>
    internal ModelRetryChatClient(IChatClient innerClient, ModelRetryOptions options, TimeProvider? timeProvider, ILogger? logger, Func<double>? randomizer)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Retries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.BaseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDelay, options.BaseDelay);
        Options = options;
        _time = timeProvider ?? TimeProvider.System;
        var log = logger ?? NullLogger.Instance;
        var retry = new RetryStrategyOptions
        {
            MaxRetryAttempts = options.Retries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } error
                && !args.Context.CancellationToken.IsCancellationRequested
                && ChatFailurePolicy.StatusOf(error) is 429 or 503
                && (RetryAfter(error) is not { } wait || wait <= options.MaxDelay)),
            // Null: Polly's own jittered exponential delay (already capped by MaxDelay).
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } error ? RetryAfter(error) : null),
            OnRetry = args =>
            {
                var reason = ChatFailurePolicy.Describe(args.Outcome.Exception!);
                LogRetrying(log, reason, args.AttemptNumber + 1, options.Retries, args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        };
        if (randomizer is not null)
        {
            retry.Randomizer = randomizer;
        }

        _pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }.AddRetry(retry).Build();
    }

    public ModelRetryOptions Options { get; }

    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var conversation = FailoverChatClient.Materialize(messages);
        return _pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<ChatResponse>(state.Inner.GetResponseAsync(state.Conversation, state.Options, token)),
            (Inner: InnerClient, Conversation: conversation, Options: options),
            cancellationToken).AsTask();
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversation = FailoverChatClient.Materialize(messages);
        var (updates, any) = await _pipeline.ExecuteAsync(
            static async (state, token) =>
            {
                var stream = state.Inner.GetStreamingResponseAsync(state.Conversation, state.Options, token).GetAsyncEnumerator(token);
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
            (Inner: InnerClient, Conversation: conversation, Options: options),
            cancellationToken);

        await using (updates)
        {
            for (var more = any; more; more = await updates.MoveNextAsync())
            {
                yield return updates.Current;
            }
        }
    }

    /// <summary>The wait the backend asked for (see <see cref="RetryAfterHeader"/>), or null.</summary>
    internal TimeSpan? RetryAfter(Exception error) => RetryAfterHeader.Of(error, _time.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Information, Message = "Model answered {Reason}; retry {Retry} of {Retries} of the same model in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, string reason, int retry, int retries, double delayMs);
}

/// <summary>Same-model retries of a backend (see <see cref="ModelRetryChatClient"/>).</summary>
public sealed record ModelRetryOptions(int Retries, TimeSpan BaseDelay, TimeSpan MaxDelay);
