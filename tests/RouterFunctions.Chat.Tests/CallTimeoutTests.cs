using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace RouterFunctions.Chat.Tests;

/// <summary>The per-call timeout over the real SDK path: the clock is a fake the handler advances when the request arrives.</summary>
public sealed class CallTimeoutTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact(Timeout = 20_000)]
    public async Task A_call_that_does_not_answer_within_the_timeout_throws_a_timeout_and_is_cancelled()
    {
        var cancelled = false;
        var http = new VerbatimHttpHandler(async (_, cancellationToken) =>
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }

            throw new InvalidOperationException("unreachable");
        });
        var model = Models.Azure();
        model.Timeout = TimeSpan.FromSeconds(30);
        using var backends = new ChatBackends([model], http.Client(), timeProvider: _time);

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() =>
            backends.Get(model.Name).GetResponseAsync(Models.Conversation(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.True(cancelled);
        Assert.Contains("30 s", error.Message, StringComparison.Ordinal);
        Assert.Equal("timeout", ChatFailurePolicy.Describe(error));
    }

    [Fact(Timeout = 20_000)]
    public async Task A_call_that_answers_just_within_the_timeout_is_not_cut()
    {
        var http = new VerbatimHttpHandler(_ =>
        {
            _time.Advance(TimeSpan.FromSeconds(29.9));
            return Replies.Json("azure-chat-completion.json");
        });
        var model = Models.Azure();
        model.Timeout = TimeSpan.FromSeconds(30);
        using var backends = new ChatBackends([model], http.Client(), timeProvider: _time);

        var response = await backends.Get(model.Name).GetResponseAsync(Models.Conversation(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("2 + 2 = 4.", response.Text);
    }

    [Fact(Timeout = 20_000)]
    public async Task A_stream_that_stalls_after_its_first_chunks_times_out()
    {
        var http = new VerbatimHttpHandler(_ => Replies.SsePrefix("openai-chat-completion-stream.sse", 2, async cancellationToken =>
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }));
        var model = Models.Compatible();
        model.Timeout = TimeSpan.FromSeconds(10);
        using var backends = new ChatBackends([model], http.Client(), timeProvider: _time);

        var received = new List<string>();
        await Assert.ThrowsAsync<ChatTimeoutException>(async () =>
        {
            await foreach (var update in backends.Get(model.Name).GetStreamingResponseAsync(Models.Conversation(), cancellationToken: TestContext.Current.CancellationToken))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("2 + 2", string.Concat(received));
    }

    [Fact(Timeout = 20_000)]
    public async Task Streaming_time_counts_per_update_so_a_long_answer_that_keeps_coming_is_not_cut()
    {
        var inner = new TickingChatClient(_time, TimeSpan.FromSeconds(8), 5);
        using var client = new CallTimeoutChatClient(inner, TimeSpan.FromSeconds(10), _time);

        var updates = 0;
        await foreach (var _ in client.GetStreamingResponseAsync([], cancellationToken: TestContext.Current.CancellationToken))
        {
            updates++;
        }

        Assert.Equal(5, updates);
        Assert.Equal(TimeSpan.FromSeconds(40), _time.GetUtcNow() - _time.Start);
    }

    [Fact(Timeout = 20_000)]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var http = new VerbatimHttpHandler(async (_, cancellationToken) =>
        {
            await caller.CancelAsync();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return Replies.Json("azure-chat-completion.json");
        });
        using var backends = new ChatBackends([Models.Azure()], http.Client(), timeProvider: _time);

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), cancellationToken: caller.Token));

        Assert.IsNotType<ChatTimeoutException>(error.InnerException);
    }

    [Fact(Timeout = 20_000)]
    public async Task An_error_other_than_a_cancellation_after_expiry_is_still_the_timeout()
    {
        // As an SDK does when cancellation cuts a response body: the error is not an OperationCanceledException.
        var inner = new FailingOnCancelChatClient(_time, TimeSpan.FromSeconds(5));
        using var client = new CallTimeoutChatClient(inner, TimeSpan.FromSeconds(5), _time);

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() =>
            client.GetResponseAsync([], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("5 s", error.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(error.InnerException?.InnerException?.InnerException);
    }

    [Fact]
    public void A_timeout_below_polly_s_minimum_is_refused_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CallTimeoutChatClient(new ScriptedChatClient(), TimeSpan.FromMilliseconds(5)));
    }

    /// <summary>Moves the clock past the timeout, then, once cancelled, fails with an <see cref="IOException"/>.</summary>
    private sealed class FailingOnCancelChatClient(FakeTimeProvider time, TimeSpan step) : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            time.Advance(step);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new IOException("The response ended prematurely.");
            }

            throw new InvalidOperationException("unreachable");
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Yields <c>count</c> updates, each after the fake clock moves on by <c>step</c>.</summary>
    private sealed class TickingChatClient(FakeTimeProvider time, TimeSpan step, int count) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < count; i++)
            {
                await Task.Yield();
                time.Advance(step);
                cancellationToken.ThrowIfCancellationRequested();
                yield return new ChatResponseUpdate(ChatRole.Assistant, $"part {i} ");
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
