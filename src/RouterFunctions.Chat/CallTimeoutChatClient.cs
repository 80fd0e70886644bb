using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

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
/// Bounds each call: a non-streaming call must finish within the timeout; a streaming call must produce each next
/// update within it (the time the caller spends between updates does not count). Expiry cancels the inner call and
/// throws <see cref="ChatTimeoutException"/>; the caller's own cancellation still surfaces as cancellation.
/// </summary>
public sealed class CallTimeoutChatClient : DelegatingChatClient
{
    private readonly TimeProvider _time;

    public CallTimeoutChatClient(IChatClient innerClient, TimeSpan timeout, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Timeout = timeout;
        _time = timeProvider ?? TimeProvider.System;
    }

    public TimeSpan Timeout { get; }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var timer = new CancellationTokenSource(Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await base.GetResponseAsync(messages, options, linked.Token);
        }
        catch (Exception ex) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is not ChatTimeoutException)
        {
            throw Expired(ex);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var timer = new CancellationTokenSource(System.Threading.Timeout.InfiniteTimeSpan, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        await using var updates = base.GetStreamingResponseAsync(messages, options, linked.Token).GetAsyncEnumerator(linked.Token);
        while (true)
        {
            timer.CancelAfter(Timeout);
            bool more;
            try
            {
                more = await updates.MoveNextAsync();
            }
            catch (Exception ex) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is not ChatTimeoutException)
            {
                throw Expired(ex);
            }

            timer.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
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
