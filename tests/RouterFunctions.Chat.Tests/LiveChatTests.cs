using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat.Tests;

/// <summary>
/// Against a real endpoint, only when one is configured (skipped otherwise):
/// ROUTERFN_LIVE_CHAT_ENDPOINT and ROUTERFN_LIVE_CHAT_MODEL (deployment or model id) are required;
/// ROUTERFN_LIVE_CHAT_KIND is AzureOpenAI or OpenAICompatible (the default); ROUTERFN_LIVE_CHAT_API_KEY is optional
/// (Azure OpenAI without it uses DefaultAzureCredential).
/// </summary>
public sealed class LiveChatTests
{
    [Fact]
    public async Task A_live_model_answers_with_usage_and_a_cost()
    {
        using var backends = new ChatBackends([LiveModel()]);

        var response = await backends.Get("live").GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Reply with the single word: pong")],
            new ChatOptions { MaxOutputTokens = 16 }, TestContext.Current.CancellationToken);

        Assert.Contains("pong", response.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("live", response.ModelId);
        Assert.True(response.Usage?.InputTokenCount > 0);
        Assert.True(response.GetCost() > 0);
    }

    [Fact]
    public async Task A_live_model_streams_with_a_final_usage_chunk()
    {
        using var backends = new ChatBackends([LiveModel()]);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in backends.Get("live").GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.User, "Reply with the single word: pong")],
            new ChatOptions { MaxOutputTokens = 16 }, TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        Assert.Contains("pong", string.Concat(updates.Select(u => u.Text)), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(updates, u => u.GetCost() > 0);
    }

    private static ChatModelOptions LiveModel()
    {
        var endpoint = Environment.GetEnvironmentVariable("ROUTERFN_LIVE_CHAT_ENDPOINT");
        var model = Environment.GetEnvironmentVariable("ROUTERFN_LIVE_CHAT_MODEL");
        if (string.IsNullOrWhiteSpace(endpoint) || string.IsNullOrWhiteSpace(model))
        {
            Assert.Skip("No live endpoint: set ROUTERFN_LIVE_CHAT_ENDPOINT and ROUTERFN_LIVE_CHAT_MODEL (and _KIND, _API_KEY) to run.");
        }

        var kind = Environment.GetEnvironmentVariable("ROUTERFN_LIVE_CHAT_KIND");
        return new ChatModelOptions
        {
            Name = "live",
            Kind = string.IsNullOrWhiteSpace(kind) ? ChatModelKind.OpenAICompatible : Enum.Parse<ChatModelKind>(kind, ignoreCase: true),
            Endpoint = endpoint,
            Model = model,
            ApiKey = Environment.GetEnvironmentVariable("ROUTERFN_LIVE_CHAT_API_KEY"),
            // Nominal prices, so a cost shows; the point is that one is computed from live usage.
            InputPricePerMillion = 1,
            OutputPricePerMillion = 1,
        };
    }
}
