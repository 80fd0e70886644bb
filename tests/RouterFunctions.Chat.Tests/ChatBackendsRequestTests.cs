using System.ClientModel;
using System.Net;
using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat.Tests;

/// <summary>What the Azure OpenAI and OpenAI-compatible paths put on the wire, and how they read recorded answers.</summary>
public sealed class ChatBackendsRequestTests
{
    private static readonly ChatOptions Options = new() { MaxOutputTokens = 64, Temperature = 0.5f };

    [Fact]
    public async Task Azure_with_a_key_posts_to_the_deployment_with_the_api_key_header_and_the_exact_body()
    {
        var http = new VerbatimHttpHandler(_ => Replies.Json("azure-chat-completion.json"));
        using var backends = new ChatBackends([Models.Azure()], http.Client());

        await backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), Options, TestContext.Current.CancellationToken);

        var request = http.Single();
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"https://{Models.AzureHost}/openai/deployments/gpt-4o-mini-prod/chat/completions?api-version=2024-10-21", request.Uri.AbsoluteUri);
        Assert.Equal(Models.AzureKey, request.Header("api-key"));
        Assert.Null(request.Header("Authorization"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        AssertJson.Equal($$"""
            {
              "messages": {{Models.ConversationJson}},
              "model": "gpt-4o-mini-prod",
              "max_completion_tokens": 64,
              "temperature": 0.5
            }
            """, request.Json);
    }

    [Fact]
    public async Task Azure_without_a_key_sends_a_managed_identity_token_for_the_cognitive_services_scope()
    {
        var http = new VerbatimHttpHandler(_ => Replies.Json("azure-chat-completion.json"));
        var credential = new FixedTokenCredential("mi-token-xyz");
        using var backends = new ChatBackends([Models.Azure(apiKey: null)], http.Client(), credential);

        await backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), Options, TestContext.Current.CancellationToken);

        var request = http.Single();
        Assert.Equal("Bearer mi-token-xyz", request.Header("Authorization"));
        Assert.Null(request.Header("api-key"));
        Assert.Equal([ChatBackends.AzureOpenAIScope], Assert.Single(credential.Scopes));
    }

    [Fact]
    public async Task Azure_reads_the_recorded_answer_its_usage_and_cost_under_the_router_name()
    {
        var http = new VerbatimHttpHandler(_ => Replies.Json("azure-chat-completion.json"));
        using var backends = new ChatBackends([Models.Azure()], http.Client());

        var response = await backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), Options, TestContext.Current.CancellationToken);

        Assert.Equal("2 + 2 = 4.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("gpt-4o-mini", response.ModelId);
        Assert.Equal("gpt-4o-mini-2024-07-18", response.AdditionalProperties?[ChatResponseProperties.ProviderModel]);
        Assert.Equal(1200, response.Usage?.InputTokenCount);
        Assert.Equal(300, response.Usage?.OutputTokenCount);
        // 1200 × $2.50/1M + 300 × $10/1M = $0.003 + $0.003.
        Assert.Equal(0.006, response.GetCost()!.Value, 12);
    }

    [Fact]
    public async Task OpenAI_compatible_posts_chat_completions_under_the_endpoint_with_a_bearer_key_and_the_model_in_the_body()
    {
        var http = new VerbatimHttpHandler(_ => Replies.Json("openai-chat-completion.json"));
        using var backends = new ChatBackends([Models.Compatible()], http.Client());

        var response = await backends.Get("llama-3.1-8b").GetResponseAsync(Models.Conversation(), Options, TestContext.Current.CancellationToken);

        var request = http.Single();
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"http://{Models.CompatibleHost}:8000/v1/chat/completions", request.Uri.AbsoluteUri);
        Assert.Equal($"Bearer {Models.CompatibleKey}", request.Header("Authorization"));
        Assert.Null(request.Header("api-key"));
        AssertJson.Equal($$"""
            {
              "messages": {{Models.ConversationJson}},
              "model": "meta-llama/Llama-3.1-8B-Instruct",
              "max_completion_tokens": 64,
              "temperature": 0.5
            }
            """, request.Json);
        Assert.Equal("4", response.Text);
        Assert.Equal("llama-3.1-8b", response.ModelId);
        // 1200 × $0.20/1M + 300 × $0.60/1M.
        Assert.Equal(0.00042, response.GetCost()!.Value, 12);
    }

    [Fact]
    public async Task OpenAI_compatible_without_a_key_sends_no_authorization_header()
    {
        var http = new VerbatimHttpHandler(_ => Replies.Json("openai-chat-completion.json"));
        using var backends = new ChatBackends([Models.Compatible(apiKey: null)], http.Client());

        await backends.Get("llama-3.1-8b").GetResponseAsync(Models.Conversation(), Options, TestContext.Current.CancellationToken);

        Assert.Null(http.Single().Header("Authorization"));
    }

    [Fact]
    public async Task An_endpoint_with_a_trailing_slash_gives_the_same_path()
    {
        var http = new VerbatimHttpHandler(_ => Replies.Json("openai-chat-completion.json"));
        var model = Models.Compatible();
        model.Endpoint += "/";
        using var backends = new ChatBackends([model], http.Client());

        await backends.Get(model.Name).GetResponseAsync(Models.Conversation(), Options, TestContext.Current.CancellationToken);

        Assert.Equal("/v1/chat/completions", http.Single().Path);
    }

    [Fact]
    public async Task The_callers_model_id_is_not_sent_the_configured_one_is()
    {
        var http = new VerbatimHttpHandler(_ => Replies.Json("openai-chat-completion.json"));
        using var backends = new ChatBackends([Models.Compatible()], http.Client());
        var options = new ChatOptions { ModelId = "router" };

        var response = await backends.Get("llama-3.1-8b").GetResponseAsync(Models.Conversation(), options, TestContext.Current.CancellationToken);

        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", http.Single().Json["model"]?.GetValue<string>());
        Assert.Equal("router", options.ModelId);
        Assert.Equal("llama-3.1-8b", response.ModelId);
    }

    [Fact]
    public async Task A_model_name_without_a_model_id_is_sent_as_the_model_id()
    {
        var http = new VerbatimHttpHandler(_ => Replies.Json("openai-chat-completion.json"));
        var model = Models.Compatible(name: "qwen2.5:7b");
        model.Model = null;
        using var backends = new ChatBackends([model], http.Client());

        await backends.Get("qwen2.5:7b").GetResponseAsync(Models.Conversation(), cancellationToken: TestContext.Current.CancellationToken);

        AssertJson.Equal($$"""{ "messages": {{Models.ConversationJson}}, "model": "qwen2.5:7b" }""", http.Single().Json);
    }

    [Theory]
    [InlineData(ChatModelKind.AzureOpenAI, "azure-chat-completion-stream.sse", "gpt-4o-mini-prod", 0.006)]
    [InlineData(ChatModelKind.OpenAICompatible, "openai-chat-completion-stream.sse", "meta-llama/Llama-3.1-8B-Instruct", 0.00042)]
    public async Task Streaming_asks_for_usage_reads_the_SSE_chunks_and_prices_the_final_usage_chunk(
        ChatModelKind kind, string recording, string sentModel, double cost)
    {
        var http = new VerbatimHttpHandler(_ => Replies.Sse(recording));
        var model = kind == ChatModelKind.AzureOpenAI ? Models.Azure() : Models.Compatible();
        using var backends = new ChatBackends([model], http.Client());

        List<ChatResponseUpdate> updates = [];
        await foreach (var update in backends.Get(model.Name).GetStreamingResponseAsync(Models.Conversation(), Options, TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        AssertJson.Equal($$"""
            {
              "messages": {{Models.ConversationJson}},
              "model": "{{sentModel}}",
              "max_completion_tokens": 64,
              "temperature": 0.5,
              "stream": true,
              "stream_options": { "include_usage": true }
            }
            """, http.Single().Json);
        Assert.Equal("2 + 2 = 4.", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Equal(model.Name, u.ModelId));
        var priced = Assert.Single(updates, u => u.GetCost() is not null);
        Assert.Same(updates[^1], priced);
        Assert.Equal(1200, priced.Contents.OfType<UsageContent>().Single().Details.InputTokenCount);
        Assert.Equal(cost, priced.GetCost()!.Value, 12);
        var response = updates.ToChatResponse();
        Assert.Equal("2 + 2 = 4.", response.Text);
        Assert.Equal(300, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task The_SDK_does_not_retry_a_503_itself_failover_does()
    {
        var http = new VerbatimHttpHandler(_ => Replies.Error(503));
        using var backends = new ChatBackends([Models.Azure()], http.Client());

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            backends.Get("gpt-4o-mini").GetResponseAsync(Models.Conversation(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(503, error.Status);
        Assert.Single(http.Requests);
    }

    [Fact]
    public async Task A_connection_failure_surfaces_as_a_transport_error()
    {
        var http = new VerbatimHttpHandler((RecordedRequest _) =>
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (vllm.internal:8000)", new System.Net.Sockets.SocketException(111)));
        using var backends = new ChatBackends([Models.Compatible()], http.Client());

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            backends.Get("llama-3.1-8b").GetResponseAsync(Models.Conversation(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("transport", ChatFailurePolicy.Describe(error));
        Assert.True(ChatFailurePolicy.IsRetryable(error, TestContext.Current.CancellationToken), error.ToString());
        Assert.Single(http.Requests);
    }

    [Fact]
    public void Disabled_models_get_no_client_and_an_unknown_name_says_which_exist()
    {
        var off = Models.Compatible(name: "off");
        off.Enabled = false;
        using var backends = new ChatBackends([Models.Azure(), Models.Compatible(), off], new VerbatimHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)).Client());

        Assert.Equal(["gpt-4o-mini", "llama-3.1-8b"], backends.Clients.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["gpt-4o-mini", "llama-3.1-8b"], backends.Models.Select(m => m.Name));
        Assert.False(backends.TryGet("off", out _));
        Assert.True(backends.Contains("llama-3.1-8b"));
        var error = Assert.Throws<KeyNotFoundException>(() => backends.Get("off"));
        Assert.Contains("gpt-4o-mini, llama-3.1-8b", error.Message, StringComparison.Ordinal);
    }
}
