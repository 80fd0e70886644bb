using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace RouterFunctions.Chat.Tests;

/// <summary>The simulated backend: deterministic text, usage, streaming, latency on the clock, injected failures.</summary>
public sealed class SimulatedChatClientTests
{
    private readonly FakeTimeProvider _time = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_same_model_and_conversation_give_the_same_text_and_it_names_the_model()
    {
        var first = await Client("gpt-4-1106-preview").GetResponseAsync(Models.Conversation(), cancellationToken: Token);
        var again = await Client("gpt-4-1106-preview").GetResponseAsync(Models.Conversation(), cancellationToken: Token);

        Assert.Equal(first.Text, again.Text);
        Assert.StartsWith("[simulated gpt-4-1106-preview] You asked: \"And 2+2?\".", first.Text, StringComparison.Ordinal);
        Assert.Equal("gpt-4-1106-preview", first.ModelId);
        Assert.Equal(true, first.AdditionalProperties?[ChatResponseProperties.Simulated]);
        Assert.Equal(ChatFinishReason.Stop, first.FinishReason);
    }

    [Fact]
    public async Task Another_model_or_another_conversation_gives_another_text()
    {
        var gpt = await Client("gpt-4-1106-preview").GetResponseAsync(Models.Conversation(), cancellationToken: Token);
        var mistral = await Client("mistralai/mistral-7b-chat").GetResponseAsync(Models.Conversation(), cancellationToken: Token);
        var other = await Client("gpt-4-1106-preview").GetResponseAsync([new(ChatRole.User, "Name a prime number.")], cancellationToken: Token);

        Assert.StartsWith("[simulated mistralai/mistral-7b-chat] ", mistral.Text, StringComparison.Ordinal);
        Assert.NotEqual(gpt.Text, mistral.Text);
        Assert.Contains("You asked: \"Name a prime number.\"", other.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_is_a_token_per_four_characters_rounded_up_and_prices_the_call()
    {
        var model = Simulated("claude-v1");
        using var backends = new ChatBackends([model], timeProvider: _time);
        var conversation = Models.Conversation();
        var inputChars = conversation.Sum(m => m.Text.Length);

        var response = await backends.Get("claude-v1").GetResponseAsync(conversation, cancellationToken: Token);

        Assert.Equal((inputChars + 3) / 4, response.Usage!.InputTokenCount);
        Assert.Equal((response.Text.Length + 3) / 4, response.Usage.OutputTokenCount);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        Assert.Equal(new ModelPrices(8, 24).CostOf(response.Usage), response.GetCost()!.Value, 12);
        Assert.Equal(true, response.AdditionalProperties?[ChatResponseProperties.Simulated]);
    }

    [Fact]
    public async Task A_streamed_answer_comes_in_chunks_that_concatenate_to_the_answer_then_the_usage()
    {
        var client = Client("gpt-3.5-turbo-1106");
        var whole = await client.GetResponseAsync(Models.Conversation(), cancellationToken: Token);

        var updates = await Collect(client.GetStreamingResponseAsync(Models.Conversation(), cancellationToken: Token));

        var texts = updates.Where(u => u.Text.Length > 0).Select(u => u.Text).ToList();
        Assert.True(texts.Count > 1, $"{texts.Count} chunk(s)");
        Assert.Equal(whole.Text, string.Concat(texts));
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        Assert.Equal(whole.Usage!.OutputTokenCount, Assert.Single(last.Contents.OfType<UsageContent>()).Details.OutputTokenCount);
        Assert.All(updates, u => Assert.Equal(true, u.AdditionalProperties?[ChatResponseProperties.Simulated]));
        Assert.Equal(whole.Text, updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task A_max_output_tokens_cuts_the_answer_and_says_so()
    {
        var response = await Client("claude-v2").GetResponseAsync(Models.Conversation(), new ChatOptions { MaxOutputTokens = 3 }, Token);

        Assert.Equal(12, response.Text.Length);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task The_latency_is_waited_on_the_injected_clock()
    {
        var client = Client("claude-v1", new SimulationOptions { LatencyMs = 500 });

        var call = client.GetResponseAsync(Models.Conversation(), cancellationToken: Token);
        _time.Advance(TimeSpan.FromMilliseconds(499));
        await Task.Delay(50, Token);
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.StartsWith("[simulated claude-v1]", (await call.WaitAsync(TimeSpan.FromSeconds(10), Token)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_during_the_latency_cancels_the_call()
    {
        using var cancel = new CancellationTokenSource();
        var client = Client("claude-v1", new SimulationOptions { LatencyMs = 60_000 });

        var call = client.GetResponseAsync(Models.Conversation(), cancellationToken: cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10), Token));
    }

    [Fact]
    public async Task Injected_failures_come_at_the_configured_rates_and_the_same_seed_repeats_them_exactly()
    {
        const int calls = 2000;
        var simulation = new SimulationOptions { LatencyMs = 0, FailureRate429 = 0.1, FailureRate5xx = 0.2, Seed = 42 };

        var run = await Outcomes(Client("m", simulation), calls);
        var again = await Outcomes(Client("m", simulation), calls);
        var otherSeed = await Outcomes(Client("m", new SimulationOptions { LatencyMs = 0, FailureRate429 = 0.1, FailureRate5xx = 0.2, Seed = 43 }), calls);

        Assert.Equal(run, again);
        Assert.NotEqual(run, otherSeed);
        Assert.InRange(run.Count(o => o == 429), 0.07 * calls, 0.13 * calls);
        Assert.InRange(run.Count(o => o == 503), 0.17 * calls, 0.23 * calls);
        Assert.InRange(run.Count(o => o == 200), 0.66 * calls, 0.74 * calls);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task An_injected_429_or_503_is_a_status_failover_and_retries_treat_as_a_real_one(int status)
    {
        var simulation = status == 429 ? new SimulationOptions { FailureRate429 = 1 } : new SimulationOptions { FailureRate5xx = 1 };
        var model = Simulated("flaky", simulation);
        using var backends = new ChatBackends([model], timeProvider: _time);

        var call = backends.Get("flaky").GetResponseAsync(Models.Conversation(), cancellationToken: Token);
        _time.Advance(TimeSpan.FromMilliseconds(SimulationOptions.DefaultLatencyMs));
        var error = await Assert.ThrowsAsync<SimulatedFailureException>(() => call.WaitAsync(TimeSpan.FromSeconds(10), Token));

        Assert.Equal(status, ChatFailurePolicy.StatusOf(error));
        Assert.True(ChatFailurePolicy.IsRetryable(error, CancellationToken.None));
        Assert.Equal($"http {status}", ChatFailurePolicy.Describe(error));
        Assert.Contains("flaky", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_injected_timeout_ends_at_the_model_timeout_as_a_retryable_timeout()
    {
        var model = Simulated("stuck", new SimulationOptions { LatencyMs = 0, TimeoutRate = 1 });
        model.Timeout = TimeSpan.FromSeconds(5);
        using var backends = new ChatBackends([model], timeProvider: _time);

        var call = backends.Get("stuck").GetResponseAsync(Models.Conversation(), cancellationToken: Token);
        await Task.Delay(50, Token);
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(10), Token));

        Assert.Contains("within 5 s", error.Message, StringComparison.Ordinal);
        Assert.True(ChatFailurePolicy.IsRetryable(error, CancellationToken.None));
        Assert.Equal("timeout", ChatFailurePolicy.Describe(error));
    }

    [Fact]
    public async Task Used_bare_an_injected_timeout_still_ends_in_a_timeout()
    {
        var client = new SimulatedChatClient("stuck", new SimulationOptions { LatencyMs = 0, TimeoutRate = 1 }, TimeSpan.FromSeconds(5), _time);

        var call = client.GetResponseAsync(Models.Conversation(), cancellationToken: Token);
        _time.Advance(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<ChatTimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(10), Token));
    }

    [Fact]
    public async Task Routed_failover_moves_from_a_failing_simulated_model_to_the_next_and_reports_the_failure()
    {
        var sink = new RecordingFailureSink();
        using var backends = new ChatBackends(
            [Simulated("mistralai/mistral-7b-chat", new SimulationOptions { LatencyMs = 0, FailureRate5xx = 1 }), Simulated("claude-instant-v1", new SimulationOptions { LatencyMs = 0 })],
            timeProvider: _time);
        using var router = new RoutingChatClient(backends.Clients, new FixedRouter("req-1", "mistralai/mistral-7b-chat", "claude-instant-v1"), sink, 3);

        var response = await router.GetResponseAsync(Models.Conversation(), new ChatOptions { ModelId = "router" }, Token);

        Assert.Equal("claude-instant-v1", response.ModelId);
        Assert.StartsWith("[simulated claude-instant-v1] ", response.Text, StringComparison.Ordinal);
        Assert.Equal(2, response.AdditionalProperties?[ChatResponseProperties.Attempts]);
        var (requestId, failed, failure) = Assert.Single(sink.Reports);
        Assert.Equal(("req-1", "mistralai/mistral-7b-chat", 503), (requestId, failed, ChatFailurePolicy.StatusOf(failure)));
    }

    [Fact]
    public void The_chunks_of_a_text_concatenate_back_to_it()
    {
        foreach (var text in new[] { "", "one", "two words", "a b c d e f g h i j", "no-spaces-at-all-in-this-one" })
        {
            var chunks = SimulatedChatClient.Chunks(text, 4).ToList();
            Assert.Equal(text, string.Concat(chunks));
            Assert.InRange(chunks.Count, text.Length == 0 ? 0 : 1, 4);
        }
    }

    internal static ChatModelOptions Simulated(string name, SimulationOptions? simulation = null, double input = 8, double output = 24) => new()
    {
        Name = name,
        Kind = ChatModelKind.Simulated,
        InputPricePerMillion = input,
        OutputPricePerMillion = output,
        Simulation = simulation ?? new SimulationOptions { LatencyMs = 0 },
    };

    private SimulatedChatClient Client(string model, SimulationOptions? simulation = null) =>
        new(model, simulation ?? new SimulationOptions { LatencyMs = 0 }, ChatModelOptions.DefaultTimeout, _time);

    /// <summary>The status of each call: 200, or the injected failure's.</summary>
    private static async Task<List<int>> Outcomes(SimulatedChatClient client, int calls)
    {
        var outcomes = new List<int>(calls);
        for (var i = 0; i < calls; i++)
        {
            try
            {
                await client.GetResponseAsync([new(ChatRole.User, "ping")], cancellationToken: Token);
                outcomes.Add(200);
            }
            catch (SimulatedFailureException e)
            {
                outcomes.Add(e.Status);
            }
        }

        return outcomes;
    }

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
