using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat.Tests;

/// <summary>The decorators on their own, over a scripted inner client.</summary>
public sealed class DecoratorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Cost_is_input_tokens_times_input_price_plus_output_tokens_times_output_price_per_million()
    {
        var prices = new ModelPrices(InputPerMillion: 3, OutputPerMillion: 15);

        Assert.Equal(0.0105, prices.CostOf(new UsageDetails { InputTokenCount = 2000, OutputTokenCount = 300 }), 12);
        Assert.Equal(0.006, prices.CostOf(new UsageDetails { InputTokenCount = 2000 }), 12);
        Assert.Equal(0, prices.CostOf(new UsageDetails()));
    }

    [Fact]
    public async Task Usage_cost_prices_the_response()
    {
        var inner = new ScriptedChatClient(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
        {
            Usage = new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 500_000 },
        });
        using var client = inner.AsBuilder().UseUsageCost(new ModelPrices(1.25, 5)).Build();

        var response = await client.GetResponseAsync("hi", cancellationToken: Token);

        Assert.Equal(3.75, response.GetCost());
        Assert.Equal(3.75, response.AdditionalProperties?[ChatResponseProperties.Cost]);
    }

    [Fact]
    public async Task A_response_without_usage_gets_no_cost_rather_than_zero()
    {
        using var client = new ScriptedChatClient(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))).AsBuilder()
            .UseUsageCost(new ModelPrices(1, 1)).Build();

        var response = await client.GetResponseAsync("hi", cancellationToken: Token);

        Assert.Null(response.GetCost());
    }

    [Fact]
    public async Task Streaming_cost_rides_on_the_update_with_the_usage()
    {
        var inner = new ScriptedChatClient(updates:
        [
            new ChatResponseUpdate(ChatRole.Assistant, "o"),
            new ChatResponseUpdate(ChatRole.Assistant, "k"),
            new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 400_000, OutputTokenCount = 100_000 })] },
        ]);
        using var client = new UsageCostChatClient(inner, new ModelPrices(2, 8));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Token))
        {
            updates.Add(update);
        }

        Assert.Equal([null, null, 1.6], updates.Select(u => u.GetCost()));
    }

    [Fact]
    public async Task The_model_name_replaces_the_providers_id_keeps_it_aside_and_drops_the_callers_model()
    {
        var inner = new ScriptedChatClient(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { ModelId = "gpt-4o-2024-11-20" });
        using var client = new ModelNameChatClient(inner, "gpt-4o");
        var options = new ChatOptions { ModelId = "router:cheap", Temperature = 0.1f };

        var response = await client.GetResponseAsync("hi", options, Token);

        Assert.Equal("gpt-4o", response.ModelId);
        Assert.Equal("gpt-4o-2024-11-20", response.AdditionalProperties?[ChatResponseProperties.ProviderModel]);
        var sent = Assert.Single(inner.Options);
        Assert.Null(sent!.ModelId);
        Assert.Equal(0.1f, sent.Temperature);
        Assert.Equal("router:cheap", options.ModelId);
    }

    [Fact]
    public void Retryable_statuses_are_408_429_and_5xx_only()
    {
        int[] expected = [408, 429, .. Enumerable.Range(500, 100)];

        Assert.Equal(expected, Enumerable.Range(100, 600).Where(ChatFailurePolicy.IsRetryableStatus));
    }

    [Fact]
    public void A_bug_is_not_failed_over_and_a_timeout_or_broken_connection_is()
    {
        Assert.False(ChatFailurePolicy.IsRetryable(new InvalidOperationException("bug"), Token));
        Assert.False(ChatFailurePolicy.IsRetryable(new ArgumentException("bug"), Token));
        Assert.True(ChatFailurePolicy.IsRetryable(new ChatTimeoutException("slow"), Token));
        Assert.True(ChatFailurePolicy.IsRetryable(new TaskCanceledException("HttpClient.Timeout", new TimeoutException()), Token));
        Assert.True(ChatFailurePolicy.IsRetryable(new InvalidOperationException("wrapped", new IOException("reset")), Token));
        Assert.Equal("transport", ChatFailurePolicy.Describe(new InvalidOperationException("wrapped", new IOException("reset"))));
        Assert.Equal("http 429", ChatFailurePolicy.Describe(new HttpRequestException("x", null, System.Net.HttpStatusCode.TooManyRequests)));
        Assert.Equal("InvalidOperationException", ChatFailurePolicy.Describe(new InvalidOperationException("bug")));
    }

    [Fact]
    public void Nothing_is_failed_over_once_the_caller_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(ChatFailurePolicy.IsRetryable(new ChatTimeoutException("slow"), cancelled.Token));
        Assert.False(ChatFailurePolicy.IsRetryable(new HttpRequestException("reset"), cancelled.Token));
    }
}
