using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace RouterFunctions.Chat.Tests;

/// <summary>
/// Same-model retries after 429/503 over the real SDK path. The clock is a fake that the test moves on in small steps
/// while the call runs; each request notes the fake time it arrived at, so the waits between tries can be read off.
/// </summary>
public sealed class ModelRetryTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    /// <summary>Timer set-up may lag the clock by a few steps, so a measured wait can exceed the real one by this much.</summary>
    private static readonly TimeSpan Slop = TimeSpan.FromMilliseconds(500);

    private readonly FakeTimeProvider _time = new();
    private readonly List<DateTimeOffset> _arrivals = [];
    private readonly Queue<Func<HttpResponseMessage>> _replies = new();
    private readonly VerbatimHttpHandler _http;

    public ModelRetryTests()
    {
        _http = new VerbatimHttpHandler(_ =>
        {
            lock (_arrivals)
            {
                _arrivals.Add(_time.GetUtcNow());
            }

            return _replies.Count > 1 ? _replies.Dequeue()() : _replies.Peek()();
        });
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    [Fact(Timeout = 20_000)]
    public async Task A_429s_retry_after_is_honoured_and_the_same_model_answers()
    {
        _replies.Enqueue(() => Replies.Error(429)); // Retry-After: 6
        _replies.Enqueue(() => Replies.Json("azure-chat-completion.json"));
        using var backends = Backends(retries: 2);

        var response = await Drive(backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), cancellationToken: Token));

        Assert.Equal("2 + 2 = 4.", response.Text);
        var wait = Assert.Single(Waits());
        Assert.InRange(wait, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6) + Slop);
    }

    [Fact(Timeout = 20_000)]
    public async Task Retry_after_ms_is_preferred()
    {
        _replies.Enqueue(() => WithHeader(Replies.Error(503), "retry-after-ms", "1500"));
        _replies.Enqueue(() => Replies.Json("azure-chat-completion.json"));
        using var backends = Backends(retries: 1);

        await Drive(backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), cancellationToken: Token));

        Assert.InRange(Assert.Single(Waits()), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1.5) + Slop);
    }

    [Fact(Timeout = 20_000)]
    public async Task A_retry_after_longer_than_the_cap_is_not_waited_for_the_error_goes_to_failover()
    {
        _replies.Enqueue(() => Replies.Error(429)); // Retry-After: 6
        using var backends = Backends(retries: 2, maxDelay: TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), cancellationToken: Token));

        Assert.Equal(429, error.Status);
        Assert.Single(_http.Requests);
    }

    [Fact(Timeout = 20_000)]
    public async Task Without_retry_after_the_waits_are_jittered_exponential_and_capped_then_the_error_propagates()
    {
        _replies.Enqueue(() => Replies.Error(503));
        using var backends = Backends(retries: 4, baseDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Drive(backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), cancellationToken: Token)));

        Assert.Equal(503, error.Status);
        Assert.Equal(5, _http.Requests.Count);
        Assert.All(Waits(), w => Assert.InRange(w, TimeSpan.Zero, TimeSpan.FromSeconds(3) + Slop));
        Assert.True(Waits().Sum(w => w.TotalSeconds) > 2, "the retries did wait");
    }

    [Fact(Timeout = 20_000)]
    public async Task The_jitter_comes_from_the_randomizer_so_two_callers_do_not_retry_in_step()
    {
        var low = await FirstWait(() => 0.05);
        var high = await FirstWait(() => 0.95);

        Assert.InRange(low, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.InRange(high, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.True((high - low).Duration() > Slop, $"jittered waits {low} and {high} differ");
    }

    [Theory]
    [InlineData(400)]
    [InlineData(500)]
    public async Task Other_statuses_are_not_retried(int status)
    {
        _replies.Enqueue(() => Replies.Error(status));
        using var backends = Backends(retries: 3);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), cancellationToken: Token));

        Assert.Equal(status, error.Status);
        Assert.Single(_http.Requests);
    }

    [Fact(Timeout = 20_000)]
    public async Task The_callers_cancellation_during_the_wait_stops_the_retries()
    {
        _replies.Enqueue(() => Replies.Error(429));
        using var backends = Backends(retries: 3);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var call = backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), cancellationToken: caller.Token);
        while (_http.Requests.Count == 0)
        {
            await Task.Delay(1, Token);
        }

        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(_http.Requests);
    }

    [Fact(Timeout = 20_000)]
    public async Task A_stream_is_retried_before_its_first_update()
    {
        _replies.Enqueue(() => Replies.Error(503));
        _replies.Enqueue(() => Replies.Sse("azure-chat-completion-stream.sse"));
        using var backends = Backends(retries: 1);

        var text = await Drive(Text(backends.Get("gpt-4o-mini").GetStreamingResponseAsync(Models.Conversation(), cancellationToken: Token)));

        Assert.Equal("2 + 2 = 4.", text);
        Assert.Equal(2, _http.Requests.Count);
    }

    [Fact]
    public void No_retries_by_default_adds_no_retry_client()
    {
        using var backends = new ChatBackends([Models.Azure()], _http.Client(), timeProvider: _time);

        Assert.Null(backends.Get("gpt-4o-mini").GetService<ModelRetryChatClient>());
        Assert.NotNull(Backends(retries: 1).Get("gpt-4o-mini").GetService<ModelRetryChatClient>());
    }

    [Fact(Timeout = 20_000)]
    public async Task Through_the_router_a_retried_model_that_recovers_is_not_reported_as_failed()
    {
        _replies.Enqueue(() => Replies.Error(429));
        _replies.Enqueue(() => Replies.Json("azure-chat-completion.json"));
        using var backends = Backends(retries: 1);
        var sink = new RecordingFailureSink();
        using var client = new RoutingChatClient(backends.Clients, new FixedRouter("req-1", "gpt-4o-mini"), sink, 3);

        var response = await Drive(client.GetResponseAsync(Models.Conversation(), cancellationToken: Token));

        Assert.Equal(1, response.AdditionalProperties?[ChatResponseProperties.Attempts]);
        Assert.Empty(sink.Reports);
    }

    private async Task<TimeSpan> FirstWait(Func<double> randomizer)
    {
        var arrivals = new List<DateTimeOffset>();
        var calls = 0;
        var inner = new FakeModel("m", []) { Before = _ => { arrivals.Add(_time.GetUtcNow()); return ++calls == 1 ? throw FakeModel.Status(503) : Task.CompletedTask; } };
        using var client = new ModelRetryChatClient(inner, new ModelRetryOptions(1, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)), _time, null, randomizer);

        await Drive(client.GetResponseAsync([], cancellationToken: Token));

        return arrivals[1] - arrivals[0];
    }

    private ChatBackends Backends(int retries, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        var model = Models.Azure();
        model.Retries = retries;
        model.RetryBaseDelay = baseDelay ?? ChatModelOptions.DefaultRetryBaseDelay;
        model.RetryMaxDelay = maxDelay ?? ChatModelOptions.DefaultRetryMaxDelay;
        return new ChatBackends([model], _http.Client(), timeProvider: _time);
    }

    /// <summary>Moves the fake clock on in small steps until <paramref name="call"/> is done.</summary>
    private async Task<T> Drive<T>(Task<T> call)
    {
        while (!call.IsCompleted)
        {
            await Task.Delay(1, Token);
            _time.Advance(Step);
        }

        return await call;
    }

    private List<TimeSpan> Waits()
    {
        lock (_arrivals)
        {
            return [.. _arrivals.Zip(_arrivals.Skip(1), (a, b) => b - a)];
        }
    }

    private static HttpResponseMessage WithHeader(HttpResponseMessage response, string name, string value)
    {
        response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    private static async Task<string> Text(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var text = "";
        await foreach (var update in updates)
        {
            text += update.Text;
        }

        return text;
    }
}
