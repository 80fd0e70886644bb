using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Timeout;

namespace RouterFunctions.Chat;

/// <summary>A model did not answer in time: failover treats it like a 5xx.</summary>
public sealed class ChatTimeoutException : TimeoutException
{
    public ChatTimeoutException()
    {
    }

    public ChatTimeoutException(string message)
        : base(message)
    {
    }

    public ChatTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Bounds each call with Polly's timeout strategy (on the injected clock): a non-streaming call must finish within the
/// timeout; a streaming call must produce each next update within it (the time the caller spends between updates does
/// not count: each <c>MoveNextAsync</c> is its own timed execution). Expiry cancels the inner call and throws
/// <see cref="ChatTimeoutException"/> (a <see cref="TimeoutException"/>, so failover treats it as retryable); the
/// caller's own cancellation still surfaces as cancellation.
/// </summary>
public sealed class CallTimeoutChatClient : DelegatingChatClient
{
    /// <summary>The shortest timeout Polly's timeout strategy accepts.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    private readonly ResiliencePipeline _pipeline;

    public CallTimeoutChatClient(IChatClient innerClient, TimeSpan timeout, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, MinTimeout);
        Timeout = timeout;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddTimeout(timeout)
            .Build();
    }

    public TimeSpan Timeout { get; }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (state, token) =>
                {
                    try
                    {
                        return await state.Inner.GetResponseAsync(state.Messages, state.Options, token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException && token.IsCancellationRequested && !state.Caller.IsCancellationRequested)
                    {
                        // The SDK may surface the cancellation as another error (a cut body); Polly only recognises
                        // its timeout by an OperationCanceledException, so say it is one.
                        throw new OperationCanceledException(ex.Message, ex, token);
                    }
                },
                (Inner: InnerClient, Messages: messages, Options: options, Caller: cancellationToken),
                cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw Expired(ex);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The stream takes its token once, when it is opened; Polly's token is per execution (per update). So each
        // execution's token, when Polly's timer fires, cancels the stream's own token.
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var updates = base.GetStreamingResponseAsync(messages, options, stream.Token).GetAsyncEnumerator(stream.Token);
        while (true)
        {
            bool more;
            try
            {
                more = await _pipeline.ExecuteAsync(
                    static async (state, token) =>
                    {
                        using var forward = token.Register(static s => ((CancellationTokenSource)s!).Cancel(), state.Stream);
                        try
                        {
                            return await state.Updates.MoveNextAsync();
                        }
                        catch (Exception ex) when (token.IsCancellationRequested && !state.Caller.IsCancellationRequested)
                        {
                            // Whatever the stream threw once cancelled (its own cancellation, a cut body), it is
                            // Polly's timeout, which Polly recognises only as a cancellation of its token.
                            throw new OperationCanceledException(ex.Message, ex, token);
                        }
                    },
                    (Updates: updates, Stream: stream, Caller: cancellationToken),
                    cancellationToken);
            }
            catch (TimeoutRejectedException ex)
            {
                throw Expired(ex);
            }

            if (!more)
            {
                yield break;
            }

            yield return updates.Current;
        }
    }

    private ChatTimeoutException Expired(Exception inner) =>
        new($"The model did not answer within {Timeout.TotalSeconds:0.###} s.", inner);
}
