using System.ClientModel;
using System.Net.Sockets;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace RouterFunctions.Chat.Tests;

/// <summary>
/// Failover over real backends: three models on three hosts behind one verbatim handler, each host answering as the
/// test says (a recorded answer, an error status, a hang, a refused connection).
/// </summary>
public sealed class FailoverChatClientTests : IDisposable
{
    private const string Primary = "gpt-4o";
    private const string Secondary = "llama-3.1-8b";
    private const string Tertiary = "mistral-7b";
    private const string PrimaryHost = "primary.openai.azure.com";
    private const string SecondaryHost = "secondary.internal";
    private const string TertiaryHost = "tertiary.internal";

    private readonly FakeTimeProvider _time = new();
    private readonly Dictionary<string, Func<CancellationToken, Task<HttpResponseMessage>>> _hosts = [];
    private readonly VerbatimHttpHandler _http;
    private readonly ChatBackends _backends;
    private readonly RecordingFailureSink _sink = new();

    public FailoverChatClientTests()
    {
        _http = new VerbatimHttpHandler((request, cancellationToken) => _hosts[request.Host](cancellationToken));
        var primary = Models.Azure(Primary, PrimaryHost);
        primary.Timeout = TimeSpan.FromSeconds(20);
        _backends = new ChatBackends(
            [primary, Models.Compatible(Secondary, SecondaryHost), Models.Compatible(Tertiary, TertiaryHost)],
            _http.Client(), timeProvider: _time);
        Answer(SecondaryHost);
        Answer(TertiaryHost);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _backends.Dispose();
        _http.Dispose();
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(408)]
    public async Task An_error_status_from_the_first_model_is_answered_by_the_second_and_recorded_once(int status)
    {
        Fail(PrimaryHost, status);

        var response = await Failover().GetResponseAsync(Models.Conversation(), cancellationToken: Token);

        Assert.Equal(Secondary, response.ModelId);
        Assert.Equal("4", response.Text);
        Assert.Equal(2, response.AdditionalProperties?[ChatResponseProperties.Attempts]);
        Assert.Equal(0.00042, response.GetCost()!.Value, 12);
        var (model, failure) = Assert.Single(_sink.Failures);
        Assert.Equal(Primary, model);
        Assert.Equal(status, Assert.IsType<ClientResultException>(failure).Status);
        Assert.Equal(1, _http.CountFor(PrimaryHost));
        Assert.Equal(1, _http.CountFor(SecondaryHost));
        Assert.Equal(0, _http.CountFor(TertiaryHost));
    }

    [Fact(Timeout = 20_000)]
    public async Task A_timeout_of_the_first_model_is_answered_by_the_second()
    {
        _hosts[PrimaryHost] = async cancellationToken =>
        {
            _time.Advance(TimeSpan.FromSeconds(20));
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        };

        var response = await Failover().GetResponseAsync(Models.Conversation(), cancellationToken: Token);

        Assert.Equal(Secondary, response.ModelId);
        var (model, failure) = Assert.Single(_sink.Failures);
        Assert.Equal(Primary, model);
        Assert.IsType<ChatTimeoutException>(failure);
    }

    [Fact]
    public async Task A_refused_connection_to_the_first_model_is_answered_by_the_second()
    {
        _hosts[PrimaryHost] = _ => throw new HttpRequestException(
            HttpRequestError.ConnectionError, "Connection refused (primary.openai.azure.com:443)", new SocketException((int)SocketError.ConnectionRefused));

        var response = await Failover().GetResponseAsync(Models.Conversation(), cancellationToken: Token);

        Assert.Equal(Secondary, response.ModelId);
        var (model, failure) = Assert.Single(_sink.Failures);
        Assert.Equal(Primary, model);
        Assert.Equal("transport", ChatFailurePolicy.Describe(failure));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    public async Task A_client_error_is_not_failed_over_nor_recorded(int status)
    {
        Fail(PrimaryHost, status);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Failover().GetResponseAsync(Models.Conversation(), cancellationToken: Token));

        Assert.Equal(status, error.Status);
        Assert.Empty(_sink.Failures);
        Assert.Equal(0, _http.CountFor(SecondaryHost));
    }

    [Fact]
    public async Task Attempts_are_bounded_and_every_failure_is_recorded_and_reported()
    {
        Fail(PrimaryHost, 503);
        Fail(SecondaryHost, 429);
        Fail(TertiaryHost, 503);

        var error = await Assert.ThrowsAsync<ChatFailoverException>(() =>
            Failover(maxAttempts: 2).GetResponseAsync(Models.Conversation(), cancellationToken: Token));

        Assert.Equal([Primary, Secondary], error.Failures.Select(f => f.Model));
        Assert.Equal(["http 503", "http 429"], error.Failures.Select(f => f.Reason));
        Assert.Same(error.Failures[^1].Error, error.InnerException);
        Assert.Contains("1 more candidate(s) not tried", error.Message, StringComparison.Ordinal);
        Assert.Equal([Primary, Secondary], _sink.Failures.Select(f => f.Model));
        Assert.Equal(0, _http.CountFor(TertiaryHost));
    }

    [Fact]
    public async Task The_third_model_answers_when_the_first_two_fail_within_the_attempts()
    {
        Fail(PrimaryHost, 503);
        Fail(SecondaryHost, 500);

        var response = await Failover(maxAttempts: 3).GetResponseAsync(Models.Conversation(), cancellationToken: Token);

        Assert.Equal(Tertiary, response.ModelId);
        Assert.Equal(3, response.AdditionalProperties?[ChatResponseProperties.Attempts]);
        Assert.Equal([Primary, Secondary], _sink.Failures.Select(f => f.Model));
    }

    [Fact]
    public async Task The_first_model_answers_alone_when_it_can()
    {
        Answer(PrimaryHost);

        var response = await Failover().GetResponseAsync(Models.Conversation(), cancellationToken: Token);

        Assert.Equal(Primary, response.ModelId);
        Assert.Equal(1, response.AdditionalProperties?[ChatResponseProperties.Attempts]);
        Assert.Empty(_sink.Failures);
        Assert.Equal(0, _http.CountFor(SecondaryHost));
    }

    [Fact]
    public async Task Unconfigured_candidates_are_skipped_without_using_an_attempt()
    {
        Fail(PrimaryHost, 503);
        var failover = new FailoverChatClient(_backends.Clients, ["retired-model", Primary, "unknown", Secondary], _sink, maxAttempts: 2);

        var response = await failover.GetResponseAsync(Models.Conversation(), cancellationToken: Token);

        Assert.Equal([Primary, Secondary], failover.Candidates);
        Assert.Equal(["retired-model", "unknown"], failover.Skipped);
        Assert.Equal(Secondary, response.ModelId);
    }

    [Fact]
    public async Task No_configured_candidate_is_a_failover_error_naming_them()
    {
        var failover = new FailoverChatClient(_backends.Clients, ["retired-model"], _sink, maxAttempts: 3);

        var error = await Assert.ThrowsAsync<ChatFailoverException>(() => failover.GetResponseAsync(Models.Conversation(), cancellationToken: Token));

        Assert.Empty(error.Failures);
        Assert.Contains("retired-model", error.Message, StringComparison.Ordinal);
        Assert.Empty(_http.Requests);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_failed_over()
    {
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Token);
        _hosts[PrimaryHost] = async cancellationToken =>
        {
            await caller.CancelAsync();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Failover().GetResponseAsync(Models.Conversation(), cancellationToken: caller.Token));

        Assert.Empty(_sink.Failures);
        Assert.Equal(0, _http.CountFor(SecondaryHost));
    }

    [Fact]
    public async Task A_sink_that_throws_does_not_lose_the_answer()
    {
        Fail(PrimaryHost, 503);
        var sink = new RecordingFailureSink(new InvalidOperationException("feedback queue down"));
        var failover = new FailoverChatClient(_backends.Clients, [Primary, Secondary], sink, maxAttempts: 2);

        var response = await failover.GetResponseAsync(Models.Conversation(), cancellationToken: Token);

        Assert.Equal(Secondary, response.ModelId);
        Assert.Single(sink.Failures);
    }

    [Fact]
    public async Task Streaming_fails_over_when_the_first_model_errors_before_its_first_chunk()
    {
        Fail(PrimaryHost, 503);
        _hosts[SecondaryHost] = _ => Task.FromResult(Replies.Sse("openai-chat-completion-stream.sse"));

        var updates = await Collect(Failover().GetStreamingResponseAsync(Models.Conversation(), cancellationToken: Token));

        Assert.Equal("2 + 2 = 4.", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Equal(Secondary, u.ModelId));
        Assert.Equal(2, updates[0].AdditionalProperties?[ChatResponseProperties.Attempts]);
        Assert.Equal(0.00042, updates[^1].GetCost()!.Value, 12);
        var (model, failure) = Assert.Single(_sink.Failures);
        Assert.Equal(Primary, model);
        Assert.Equal(503, Assert.IsType<ClientResultException>(failure).Status);
    }

    [Fact]
    public async Task Streaming_gives_the_same_text_as_the_non_streaming_call()
    {
        _hosts[PrimaryHost] = _ => Task.FromResult(Replies.Sse("azure-chat-completion-stream.sse"));
        var streamed = await Collect(Failover().GetStreamingResponseAsync(Models.Conversation(), cancellationToken: Token));
        Answer(PrimaryHost);

        var response = await Failover().GetResponseAsync(Models.Conversation(), cancellationToken: Token);

        Assert.Equal(response.Text, string.Concat(streamed.Select(u => u.Text)));
        Assert.Equal(response.ModelId, streamed[0].ModelId);
    }

    [Fact]
    public async Task Streaming_does_not_fail_over_once_a_chunk_was_yielded_the_failure_is_recorded_and_propagates()
    {
        _hosts[PrimaryHost] = _ => Task.FromResult(Replies.SsePrefix("azure-chat-completion-stream.sse", 3,
            _ => throw new IOException("The response ended prematurely. (ResponseEnded)")));

        var received = new List<ChatResponseUpdate>();
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await foreach (var update in Failover().GetStreamingResponseAsync(Models.Conversation(), cancellationToken: Token))
            {
                received.Add(update);
            }
        });

        Assert.Equal("2 + 2", string.Concat(received.Select(u => u.Text)));
        Assert.All(received, u => Assert.Equal(Primary, u.ModelId));
        Assert.Equal(0, _http.CountFor(SecondaryHost));
        Assert.Equal(Primary, Assert.Single(_sink.Failures).Model);
    }

    [Fact]
    public async Task Streaming_does_not_fail_over_a_client_error()
    {
        Fail(PrimaryHost, 400);

        await Assert.ThrowsAsync<ClientResultException>(() => Collect(Failover().GetStreamingResponseAsync(Models.Conversation(), cancellationToken: Token)));

        Assert.Empty(_sink.Failures);
        Assert.Equal(0, _http.CountFor(SecondaryHost));
    }

    [Fact]
    public async Task Streaming_attempts_are_bounded_too()
    {
        Fail(PrimaryHost, 503);
        Fail(SecondaryHost, 502);

        var error = await Assert.ThrowsAsync<ChatFailoverException>(() =>
            Collect(Failover(maxAttempts: 2).GetStreamingResponseAsync(Models.Conversation(), cancellationToken: Token)));

        Assert.Equal([Primary, Secondary], error.Failures.Select(f => f.Model));
        Assert.Equal(0, _http.CountFor(TertiaryHost));
    }

    private FailoverChatClient Failover(int maxAttempts = 3) =>
        new(_backends.Clients, [Primary, Secondary, Tertiary], _sink, maxAttempts);

    private void Answer(string host) =>
        _hosts[host] = _ => Task.FromResult(Replies.Json(host == PrimaryHost ? "azure-chat-completion.json" : "openai-chat-completion.json"));

    private void Fail(string host, int status) => _hosts[host] = _ => Task.FromResult(Replies.Error(status));

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
