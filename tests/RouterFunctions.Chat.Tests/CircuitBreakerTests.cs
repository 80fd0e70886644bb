using System.ClientModel;
using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace RouterFunctions.Chat.Tests;

/// <summary>
/// Each model's circuit breaker in its client (<see cref="ChatClientBuilderExtensions.UseCircuitBreaker"/>), on a fake
/// clock: five failures in the window open it, an open circuit fails a call without calling the model, one probe after
/// the break decides, and a 429's Retry-After holds it open that long. Calls are counted on scripted models.
/// </summary>
public sealed class CircuitBreakerTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 2, 9, 30, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly List<string> _calls = [];
    private readonly List<BackendTransitionEventArgs> _transitions = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static BreakerOptions Options => new()
    {
        FailureRatio = 0.5,
        MinimumThroughput = 5,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task Five_failures_open_the_circuit_and_the_next_call_fails_at_once_without_calling_the_model()
    {
        var health = Monitor(Options, "a");
        var a = new FakeModel("a", _calls).Failing(503);
        using var client = Guarded(a, health);

        await FailAsync(client, 5);
        var broken = await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync("hi", cancellationToken: Token));

        Assert.Equal(5, a.Calls);
        Assert.Equal(
            new BackendState("a", "open", "circuit open: 5 failures in 30s (last: http 503)", Start, Start.AddSeconds(30), Failures: 5, Successes: 0),
            health.StateOf("a"));
        Assert.False(health.StateOf("a")!.Routable);
        Assert.True(ChatFailurePolicy.IsRetryable(broken, CancellationToken.None));
        Assert.Equal("circuit open", ChatFailurePolicy.Describe(broken));
        Assert.Equal(["open"], _transitions.Select(t => t.State.State));
    }

    [Fact]
    public async Task Fewer_failures_than_the_minimum_throughput_leave_it_closed()
    {
        var health = Monitor(Options, "a");
        var a = new FakeModel("a", _calls).Failing(500);
        using var client = Guarded(a, health);

        await FailAsync(client, 4);
        a.Before = _ => Task.CompletedTask;
        await client.GetResponseAsync("hi", cancellationToken: Token);

        Assert.Equal(5, a.Calls);
        Assert.Equal(new BackendState("a", "closed", null, null, null, 4, 1), health.StateOf("a"));
        Assert.Empty(_transitions);
    }

    [Fact]
    public async Task After_the_break_one_probe_goes_through_and_its_answer_closes_the_circuit()
    {
        var health = Monitor(Options, "a");
        var a = new FakeModel("a", _calls).Failing(503);
        using var client = Guarded(a, health);
        await FailAsync(client, 5);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("open", health.StateOf("a")!.State);
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync("hi", cancellationToken: Token));
        _time.Advance(TimeSpan.FromSeconds(1));
        // The break is over: routable again, so routing sends the probe.
        Assert.Equal("half-open", health.StateOf("a")!.State);
        Assert.True(health.StateOf("a")!.Routable);
        a.Before = _ => Task.CompletedTask;
        var answer = await client.GetResponseAsync("hi", cancellationToken: Token);

        Assert.Equal("answer from a", answer.Text);
        Assert.Equal(6, a.Calls);
        Assert.Equal(new BackendState("a", "closed", null, Start.AddSeconds(30), null, 5, 1), health.StateOf("a"));
        Assert.Equal(["open", "half-open", "closed"], _transitions.Select(t => t.State.State));
        Assert.Equal(["closed", "open", "half-open"], _transitions.Select(t => t.Previous));
    }

    [Fact]
    public async Task A_failed_probe_opens_the_circuit_for_another_break()
    {
        var health = Monitor(Options, "a");
        var a = new FakeModel("a", _calls).Failing(503);
        using var client = Guarded(a, health);
        await FailAsync(client, 5);
        _time.Advance(TimeSpan.FromSeconds(30));

        a.Before = _ => throw new TimeoutException("probe timed out");
        await Assert.ThrowsAsync<TimeoutException>(() => client.GetResponseAsync("hi", cancellationToken: Token));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync("hi", cancellationToken: Token));

        Assert.Equal(6, a.Calls);
        var state = health.StateOf("a")!;
        Assert.Equal(("open", "probe failed: timeout", Start.AddSeconds(30), Start.AddSeconds(60)), (state.State, state.Reason, state.Since, state.RetryAt));
    }

    [Fact]
    public async Task While_the_probe_is_under_way_other_calls_fail_at_once()
    {
        var health = Monitor(Options, "a");
        var a = new FakeModel("a", _calls).Failing(503);
        using var client = Guarded(a, health);
        await FailAsync(client, 5);
        _time.Advance(TimeSpan.FromSeconds(30));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Before = _ => release.Task;

        var probe = client.GetResponseAsync("hi", cancellationToken: Token);
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync("hi", cancellationToken: Token));
        release.SetResult();
        await probe;

        Assert.Equal(6, a.Calls);
        Assert.Equal("closed", health.StateOf("a")!.State);
    }

    [Fact]
    public async Task Refused_requests_and_the_callers_cancellation_do_not_count_as_failures()
    {
        var health = Monitor(Options, "a");
        var a = new FakeModel("a", _calls).Failing(400);
        using var client = Guarded(a, health);

        for (var i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync("hi", cancellationToken: Token));
        }

        for (var i = 0; i < 6; i++)
        {
            // The caller gives up while the model is working.
            using var caller = new CancellationTokenSource();
            a.Before = async token =>
            {
                await caller.CancelAsync();
                token.ThrowIfCancellationRequested();
            };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("hi", cancellationToken: caller.Token));
        }

        Assert.Equal(12, a.Calls);
        Assert.Equal(new BackendState("a", "closed", null, null, null, 0, 0), health.StateOf("a"));
    }

    [Fact]
    public async Task Streams_that_fail_before_their_first_update_open_it_too()
    {
        var health = Monitor(Options, "a");
        var a = new FakeModel("a", _calls).Failing(502);
        using var client = Guarded(a, health);

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => Text(client.GetStreamingResponseAsync("hi", cancellationToken: Token)));
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => Text(client.GetStreamingResponseAsync("hi", cancellationToken: Token)));
        Assert.Equal(5, a.Calls);
        _time.Advance(TimeSpan.FromSeconds(30));
        a.Before = _ => Task.CompletedTask;
        Assert.Equal("answer from a", await Text(client.GetStreamingResponseAsync("hi", cancellationToken: Token)));
        Assert.Equal("closed", health.StateOf("a")!.State);
    }

    [Fact]
    public async Task Failover_reroutes_past_an_open_circuit_without_calling_the_model_or_recording_feedback()
    {
        var health = Monitor(Options, "a", "b");
        var (a, b) = (new FakeModel("a", _calls).Failing(503), new FakeModel("b", _calls));
        var sink = new RecordingFailureSink();
        using var routing = new RoutingChatClient(
            new Dictionary<string, IChatClient> { ["a"] = Guarded(a, health), ["b"] = Guarded(b, health) }, new FixedRouter("req-1", "a", "b"), sink, 3);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("b", (await routing.GetResponseAsync("hi", cancellationToken: Token)).ModelId);
        }

        var response = await routing.GetResponseAsync("hi", cancellationToken: Token);

        Assert.Equal("b", response.ModelId);
        Assert.Equal(2, response.AdditionalProperties?[ChatResponseProperties.Attempts]);
        Assert.Equal((5, 6), (a.Calls, b.Calls));
        Assert.Equal(5, sink.Reports.Count);
        Assert.All(sink.Reports, r => Assert.Equal(("req-1", "a"), (r.RequestId, r.Model)));
        Assert.Equal(["open", "closed"], health.Snapshot().Select(s => s.State));
    }

    [Fact]
    public async Task An_escalated_route_calls_the_open_model_and_its_answer_closes_the_circuit()
    {
        var health = Monitor(Options, "a");
        var a = new FakeModel("a", _calls).Failing(503);
        using var guarded = Guarded(a, health);
        await FailAsync(guarded, 5);
        var route = new ChatRoute("req-2", [new ChatRouteCandidate("a", 0.8, 0.001)], [BackendExclusion.Of(health.StateOf("a")!)], "all backends open");
        using var routing = new RoutingChatClient(new Dictionary<string, IChatClient> { ["a"] = guarded }, new RouteOf(route), new RecordingFailureSink(), 3);

        await Assert.ThrowsAsync<ChatFailoverException>(() => routing.GetResponseAsync("hi", cancellationToken: Token));
        Assert.Equal((6, "open"), (a.Calls, health.StateOf("a")!.State));
        a.Before = _ => Task.CompletedTask;
        var response = await routing.GetResponseAsync("hi", cancellationToken: Token);

        Assert.Equal("answer from a", response.Text);
        Assert.Equal(7, a.Calls);
        Assert.Equal("closed", health.StateOf("a")!.State);
        // The mark that let the call pass is not sent to the model.
        Assert.All(a.Options, o => Assert.False(o?.AdditionalProperties?.ContainsKey(CircuitBreakerChatClient.EscalatedKey) ?? false));
    }

    [Fact]
    public async Task A_429_with_Retry_After_holds_the_circuit_open_that_long_though_below_the_failure_ratio()
    {
        var health = Monitor(Options, "gpt-4o-mini");
        var replies = new Queue<HttpResponseMessage>([TooMany("90"), Replies.Json("azure-chat-completion.json")]);
        using var http = new VerbatimHttpHandler(_ => replies.Dequeue());
        using var backends = new ChatBackends([Models.Azure()], http.Client(), timeProvider: _time, health: health);
        var client = backends.Get("gpt-4o-mini");

        var throttled = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(Models.Conversation(), cancellationToken: Token));
        Assert.Equal(429, throttled.Status);
        Assert.Equal(new BackendState("gpt-4o-mini", "open", "http 429: Retry-After 90s", Start, Start.AddSeconds(90), 1, 0), health.StateOf("gpt-4o-mini"));
        _time.Advance(TimeSpan.FromSeconds(89));
        var broken = await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync(Models.Conversation(), cancellationToken: Token));
        Assert.Equal(TimeSpan.FromSeconds(1), broken.RetryAfter);
        Assert.Single(http.Requests);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("half-open", health.StateOf("gpt-4o-mini")!.State);
        var response = await client.GetResponseAsync(Models.Conversation(), cancellationToken: Token);

        Assert.Equal("2 + 2 = 4.", response.Text);
        Assert.Equal(2, http.Requests.Count);
        Assert.Equal(new BackendState("gpt-4o-mini", "closed", null, Start.AddSeconds(90), null, 1, 1), health.StateOf("gpt-4o-mini"));
        Assert.Equal(["open", "half-open", "closed"], _transitions.Select(t => t.State.State));
    }

    [Fact]
    public async Task A_probe_after_a_Retry_After_that_is_throttled_again_holds_it_again()
    {
        var health = Monitor(Options, "gpt-4o-mini");
        var replies = new Queue<HttpResponseMessage>([TooMany("20"), TooMany("45")]);
        using var http = new VerbatimHttpHandler(_ => replies.Dequeue());
        using var backends = new ChatBackends([Models.Azure()], http.Client(), timeProvider: _time, health: health);
        var client = backends.Get("gpt-4o-mini");
        await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(Models.Conversation(), cancellationToken: Token));
        _time.Advance(TimeSpan.FromSeconds(20));

        await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(Models.Conversation(), cancellationToken: Token));

        var state = health.StateOf("gpt-4o-mini")!;
        // Held for the longer of the break (30 s) and the new Retry-After (45 s).
        Assert.Equal(("open", "probe failed: http 429", Start.AddSeconds(65)), (state.State, state.Reason, state.RetryAt));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetResponseAsync(Models.Conversation(), cancellationToken: Token));
        Assert.Equal(2, http.Requests.Count);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_cap_holds_only_for_the_cap()
    {
        var options = Options;
        options.MaxRetryAfter = TimeSpan.FromMinutes(2);
        var health = Monitor(options, "gpt-4o-mini");
        using var http = new VerbatimHttpHandler(_ => TooMany("86400"));
        using var backends = new ChatBackends([Models.Azure()], http.Client(), timeProvider: _time, health: health);

        await Assert.ThrowsAsync<ClientResultException>(() => backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), cancellationToken: Token));

        Assert.Equal(Start.AddMinutes(2), health.StateOf("gpt-4o-mini")!.RetryAt);
    }

    [Fact]
    public async Task A_429_that_trips_the_ratio_opens_for_its_Retry_After_when_longer_than_the_break()
    {
        var options = Options;
        options.MinimumThroughput = 2;
        var health = Monitor(options, "gpt-4o-mini");
        var replies = new Queue<HttpResponseMessage>([Replies.Error(503), TooMany("120")]);
        using var http = new VerbatimHttpHandler(_ => replies.Dequeue());
        using var backends = new ChatBackends([Models.Azure()], http.Client(), timeProvider: _time, health: health);
        var client = backends.Get("gpt-4o-mini");

        await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(Models.Conversation(), cancellationToken: Token));
        await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(Models.Conversation(), cancellationToken: Token));

        var state = health.StateOf("gpt-4o-mini")!;
        Assert.Equal(("open", "circuit open: 2 failures in 30s (last: http 429); Retry-After 2m", Start.AddMinutes(2)), (state.State, state.Reason, state.RetryAt));
        Assert.Equal(["open"], _transitions.Select(t => t.State.State));
    }

    [Fact]
    public void With_breakers_off_there_is_no_breaker_and_every_model_reads_closed()
    {
        var health = Monitor(new BreakerOptions { Enabled = false }, "a", "b");
        using var client = Guarded(new FakeModel("a", _calls), health);

        Assert.Null(client.GetService<CircuitBreakerChatClient>());
        Assert.Equal([BackendState.Fresh("a"), BackendState.Fresh("b")], health.Snapshot());
        Assert.Null(health.StateOf("a"));
    }

    [Fact]
    public void Backends_get_their_breaker_inside_the_model_name_and_cost_and_outside_the_retries()
    {
        var health = Monitor(Options, "gpt-4o-mini");
        var model = Models.Azure();
        model.Retries = 1;
        using var backends = new ChatBackends([model], timeProvider: _time, health: health);

        var breaker = backends.Get("gpt-4o-mini").GetService<CircuitBreakerChatClient>();

        Assert.Equal("gpt-4o-mini", breaker?.Model);
        Assert.NotNull(breaker!.GetService<ModelRetryChatClient>());
        Assert.Null(breaker!.GetService<UsageCostChatClient>());
    }

    [Theory]
    [InlineData(0.0, 5, 30, 30, 300, "Failover:Breaker:FailureRatio 0 must be more than 0 and at most 1")]
    [InlineData(1.5, 5, 30, 30, 300, "Failover:Breaker:FailureRatio 1.5 must be more than 0 and at most 1")]
    [InlineData(0.5, 1, 30, 30, 300, "Failover:Breaker:MinimumThroughput 1 must be 2 to 100000")]
    [InlineData(0.5, 5, 0.1, 30, 300, "Failover:Breaker:SamplingDuration 00:00:00.1000000 must be at least 500 ms")]
    [InlineData(0.5, 5, 30, 172800, 300, "Failover:Breaker:BreakDuration 2.00:00:00 must be at least 500 ms and at most 1.00:00:00")]
    [InlineData(0.5, 5, 30, 30, -1, "Failover:Breaker:MaxRetryAfter -00:00:01 must be 0 to 1.00:00:00")]
    public void Breaker_settings_out_of_range_are_named(double ratio, int throughput, double sampling, double breakSeconds, double maxRetryAfter, string message)
    {
        var options = new BreakerOptions
        {
            FailureRatio = ratio,
            MinimumThroughput = throughput,
            SamplingDuration = TimeSpan.FromSeconds(sampling),
            BreakDuration = TimeSpan.FromSeconds(breakSeconds),
            MaxRetryAfter = TimeSpan.FromSeconds(maxRetryAfter),
        };

        var result = new BreakerOptionsValidation().Validate(null, options);

        Assert.Contains(message, Assert.Single(result.Failures!), StringComparison.Ordinal);
        Assert.True(new BreakerOptionsValidation().Validate(null, new BreakerOptions()).Succeeded);
    }

    private BackendHealthMonitor Monitor(BreakerOptions options, params string[] models)
    {
        var health = new BackendHealthMonitor(models, options, _time);
        health.Transitioned += (_, e) => _transitions.Add(e);
        return health;
    }

    private static IChatClient Guarded(FakeModel model, BackendHealthMonitor health) =>
        model.AsBuilder().UseCircuitBreaker(health, model.Name).Build();

    private static async Task FailAsync(IChatClient client, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync("hi", cancellationToken: Token));
        }
    }

    private static HttpResponseMessage TooMany(string retryAfter)
    {
        var response = Replies.Json("error-429.json", HttpStatusCode.TooManyRequests);
        response.Headers.Add("Retry-After", retryAfter);
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

    private sealed class RouteOf(ChatRoute route) : IChatRouter
    {
        public ValueTask<ChatRoute> RouteAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
            ValueTask.FromResult(route);
    }
}
