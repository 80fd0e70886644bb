using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace RouterFunctions.Chat.Tests;

/// <summary>The router as an <see cref="IChatClient"/>: routed failover down the route, pass-through of a named model.</summary>
public sealed class RoutingChatClientTests
{
    private const string RequestId = "req-0193";
    private readonly List<string> _log = [];
    private readonly RecordingFailureSink _sink = new();
    private readonly FakeModel _a;
    private readonly FakeModel _b;
    private readonly FakeModel _c;

    public RoutingChatClientTests()
    {
        _a = new FakeModel("a", _log);
        _b = new FakeModel("b", _log);
        _c = new FakeModel("c", _log);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Dictionary<string, IChatClient> Backends => new(StringComparer.Ordinal) { ["a"] = _a, ["b"] = _b, ["c"] = _c };

    [Fact]
    public async Task Routed_failover_walks_the_candidates_in_order_and_reports_each_failure_with_the_request_id()
    {
        _a.Failing(503);
        _b.Failing(429);
        var router = new FixedRouter(RequestId, "a", "b", "c");

        var response = await Client(router).GetResponseAsync(Conversation(), cancellationToken: Token);

        Assert.Equal(["a", "b", "c"], _log);
        Assert.Equal("c", response.ModelId);
        Assert.Equal("answer from c", response.Text);
        Assert.Equal(3, response.AdditionalProperties?[ChatResponseProperties.Attempts]);
        Assert.Equal([(RequestId, "a", 503), (RequestId, "b", 429)], _sink.Reports.Select(r => (r.RequestId, r.Model, ChatFailurePolicy.StatusOf(r.Failure))));
    }

    [Fact]
    public async Task The_route_is_on_the_response()
    {
        var router = new FixedRouter(RequestId, "b", "a");

        var response = await Client(router).GetResponseAsync(Conversation(), cancellationToken: Token);

        Assert.Same(router.Route, response.GetRoute());
        Assert.Equal(0.9, response.GetRoute()!.Find(response.ModelId)!.PredictedQuality);
        Assert.Equal(["b"], _log);
    }

    [Fact]
    public async Task The_router_gets_the_conversation_and_the_options()
    {
        var router = new FixedRouter(RequestId, "a");
        var options = new ChatOptions { ModelId = "router:cheap", Temperature = 0.2f };
        var messages = Conversation();

        await Client(router).GetResponseAsync(messages, options, Token);

        var (seen, seenOptions) = Assert.Single(router.Calls);
        Assert.Equal(messages.Select(m => m.Text), seen.Select(m => m.Text));
        Assert.Same(options, seenOptions);
        Assert.Same(options, Assert.Single(_a.Options));
    }

    [Fact]
    public async Task A_configured_model_name_passes_straight_through_without_routing()
    {
        var router = new FixedRouter(RequestId, "a", "b");

        var response = await Client(router).GetResponseAsync(Conversation(), new ChatOptions { ModelId = "c" }, Token);

        Assert.Empty(router.Calls);
        Assert.Equal(["c"], _log);
        Assert.Equal("c", response.ModelId);
        Assert.Equal(1, response.AdditionalProperties?[ChatResponseProperties.Attempts]);
        Assert.Null(response.GetRoute());
    }

    [Fact]
    public async Task A_pass_through_is_one_attempt_whose_failure_is_reported_without_a_request_id()
    {
        _c.Failing(503);

        var error = await Assert.ThrowsAsync<ChatFailoverException>(() =>
            Client(new FixedRouter(RequestId, "a", "b")).GetResponseAsync(Conversation(), new ChatOptions { ModelId = "c" }, Token));

        Assert.Equal(["c"], _log);
        Assert.Null(error.RequestId);
        Assert.Equal("c", Assert.Single(error.Failures).Model);
        var report = Assert.Single(_sink.Reports);
        Assert.Null(report.RequestId);
        Assert.Equal("c", report.Model);
    }

    [Fact]
    public async Task Attempts_are_bounded_by_max_attempts_and_the_error_names_the_request()
    {
        _a.Failing(503);
        _b.Failing(502);
        _c.Failing(500);

        var error = await Assert.ThrowsAsync<ChatFailoverException>(() =>
            Client(new FixedRouter(RequestId, "a", "b", "c"), maxAttempts: 2).GetResponseAsync(Conversation(), cancellationToken: Token));

        Assert.Equal(["a", "b"], _log);
        Assert.Equal(["a", "b"], error.Failures.Select(f => f.Model));
        Assert.Equal(RequestId, error.RequestId);
        Assert.Contains(RequestId, error.Message, StringComparison.Ordinal);
        Assert.Contains("1 more candidate(s) not tried", error.Message, StringComparison.Ordinal);
        Assert.Equal([RequestId, RequestId], _sink.Reports.Select(r => r.RequestId));
    }

    [Fact]
    public async Task One_attempt_allowed_calls_only_the_best_candidate()
    {
        _a.Failing(503);

        var error = await Assert.ThrowsAsync<ChatFailoverException>(() =>
            Client(new FixedRouter(RequestId, "a", "b"), maxAttempts: 1).GetResponseAsync(Conversation(), cancellationToken: Token));

        Assert.Equal(["a"], _log);
        Assert.Single(error.Failures);
        Assert.Single(_sink.Reports);
    }

    [Fact]
    public async Task Candidates_without_a_backend_are_skipped_and_not_counted()
    {
        _a.Failing(503);

        var response = await Client(new FixedRouter(RequestId, "retired", "a", "unknown", "b"), maxAttempts: 2)
            .GetResponseAsync(Conversation(), cancellationToken: Token);

        Assert.Equal(["a", "b"], _log);
        Assert.Equal("b", response.ModelId);
        Assert.Equal(2, response.AdditionalProperties?[ChatResponseProperties.Attempts]);
        Assert.Equal(["a"], _sink.Reports.Select(r => r.Model));
    }

    [Fact]
    public async Task A_route_without_a_configured_candidate_is_a_failover_error_with_the_request_id()
    {
        var error = await Assert.ThrowsAsync<ChatFailoverException>(() =>
            Client(new FixedRouter(RequestId, "retired")).GetResponseAsync(Conversation(), cancellationToken: Token));

        Assert.Empty(_log);
        Assert.Empty(error.Failures);
        Assert.Equal(RequestId, error.RequestId);
        Assert.Contains("retired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_failed_over_nor_reported()
    {
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Token);
        _a.Before = async cancellationToken =>
        {
            await caller.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client(new FixedRouter(RequestId, "a", "b")).GetResponseAsync(Conversation(), cancellationToken: caller.Token));

        Assert.Equal(["a"], _log);
        Assert.Empty(_sink.Reports);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task A_client_error_is_not_failed_over_nor_reported(int status)
    {
        _a.Failing(status);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            Client(new FixedRouter(RequestId, "a", "b")).GetResponseAsync(Conversation(), cancellationToken: Token));

        Assert.Equal(status, (int?)error.StatusCode);
        Assert.Equal(["a"], _log);
        Assert.Empty(_sink.Reports);
    }

    [Fact(Timeout = 20_000)]
    public async Task A_timeout_is_a_retryable_failure_answered_by_the_next_candidate()
    {
        var time = new FakeTimeProvider();
        _a.Before = async cancellationToken =>
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        };
        var backends = Backends;
        backends["a"] = new CallTimeoutChatClient(_a, TimeSpan.FromSeconds(10), time);

        var response = await Client(new FixedRouter(RequestId, "a", "b"), backends: backends).GetResponseAsync(Conversation(), cancellationToken: Token);

        Assert.Equal("b", response.ModelId);
        var report = Assert.Single(_sink.Reports);
        Assert.Equal((RequestId, "a"), (report.RequestId, report.Model));
        Assert.IsType<ChatTimeoutException>(report.Failure);
        Assert.Equal("timeout", ChatFailurePolicy.Describe(report.Failure));
    }

    [Fact]
    public async Task Streaming_fails_over_before_the_first_update_and_the_first_update_carries_the_route()
    {
        _a.Failing(503);
        var router = new FixedRouter(RequestId, "a", "b");

        var updates = await Collect(Client(router).GetStreamingResponseAsync(Conversation(), cancellationToken: Token));

        Assert.Equal("answer from b", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Equal("b", u.ModelId));
        Assert.Same(router.Route, updates[0].GetRoute());
        Assert.Equal(2, updates[0].AdditionalProperties?[ChatResponseProperties.Attempts]);
        Assert.All(updates.Skip(1), u => Assert.Null(u.GetRoute()));
        Assert.Equal([(RequestId, "a")], _sink.Reports.Select(r => (r.RequestId, r.Model)));
    }

    [Fact]
    public async Task Streaming_after_the_first_update_does_not_fail_over_but_reports_with_the_request_id()
    {
        _a.FailAfterFirstUpdate = new IOException("The response ended prematurely.");
        var received = new List<ChatResponseUpdate>();

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var update in Client(new FixedRouter(RequestId, "a", "b")).GetStreamingResponseAsync(Conversation(), cancellationToken: Token))
            {
                received.Add(update);
            }
        });

        Assert.Equal("answer ", Assert.Single(received).Text);
        Assert.Equal(["a"], _log);
        Assert.Equal([(RequestId, "a")], _sink.Reports.Select(r => (r.RequestId, r.Model)));
    }

    [Fact]
    public async Task Streaming_a_pass_through_carries_no_route()
    {
        var router = new FixedRouter(RequestId, "a");

        var updates = await Collect(Client(router).GetStreamingResponseAsync(Conversation(), new ChatOptions { ModelId = "b" }, Token));

        Assert.Empty(router.Calls);
        Assert.Equal("answer from b", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Null(u.GetRoute()));
    }

    [Fact]
    public async Task Streaming_attempts_are_bounded_and_the_error_names_the_request()
    {
        _a.Failing(503);
        _b.Failing(503);

        var error = await Assert.ThrowsAsync<ChatFailoverException>(() =>
            Collect(Client(new FixedRouter(RequestId, "a", "b", "c"), maxAttempts: 2).GetStreamingResponseAsync(Conversation(), cancellationToken: Token)));

        Assert.Equal(["a", "b"], _log);
        Assert.Equal(RequestId, error.RequestId);
    }

    private RoutingChatClient Client(IChatRouter router, int maxAttempts = 3, Dictionary<string, IChatClient>? backends = null) =>
        new(backends ?? Backends, router, _sink, maxAttempts);

    private static List<ChatMessage> Conversation() =>
        [new(ChatRole.System, "Answer briefly."), new(ChatRole.User, "What is 2 + 2?")];

    private static async Task<List<ChatResponseUpdate>> Collect(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }
}
