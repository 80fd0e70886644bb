using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using OpenAI;
using OpenAI.Chat;

namespace RouterFunctions.Local.Tests.OpenAi;

/// <summary>The OpenAI .NET SDK, pointed at the router, works unchanged.</summary>
[Collection(AppCollection.Name)]
public sealed class OpenAiSdkTests : IClassFixture<ChatAppFixture>
{
    private readonly ChatAppFixture _app;

    public OpenAiSdkTests(ChatAppFixture app)
    {
        _app = app;
        app.Backend.Reset();
    }

    private static ChatMessage[] Conversation =>
    [
        new SystemChatMessage("You are a concise geography assistant."),
        new UserChatMessage("What is the capital of Australia?"),
    ];

    [Fact]
    public async Task CompleteChatAsync_returns_the_routed_models_answer_and_names_it()
    {
        var client = Client("router");

        var result = await client.CompleteChatAsync(Conversation, cancellationToken: TestContext.Current.CancellationToken);

        var completion = result.Value;
        Assert.Contains(completion.Model, _app.Models);
        Assert.Equal([completion.Model], _app.Backend.Asked);
        Assert.Equal(ScriptedBackend.AnswerOf(completion.Model), Assert.Single(completion.Content).Text);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(16, completion.Usage.TotalTokenCount);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-router-model", out var header));
        Assert.Equal(completion.Model, header);
    }

    [Fact]
    public async Task CompleteChatStreamingAsync_yields_the_same_text_from_the_same_model()
    {
        var client = Client("router");
        var whole = (await client.CompleteChatAsync(Conversation, cancellationToken: TestContext.Current.CancellationToken)).Value;

        var text = new StringBuilder();
        var models = new HashSet<string>(StringComparer.Ordinal);
        var updates = 0;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(Conversation, cancellationToken: TestContext.Current.CancellationToken))
        {
            updates++;
            models.Add(update.Model);
            usage ??= update.Usage;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal(Assert.Single(_app.Backend.Asked.Distinct()), whole.Model);
        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.Equal([whole.Model], models);
        Assert.True(updates >= 4, $"{updates} updates");
        // The SDK asks for usage (stream_options.include_usage), so the router sends it.
        Assert.Equal(16, usage?.TotalTokenCount);
    }

    [Fact]
    public async Task A_policy_and_a_plain_model_name_work_as_the_SDKs_model()
    {
        var cheap = (await Client("router:cheap").CompleteChatAsync(Conversation, cancellationToken: TestContext.Current.CancellationToken)).Value;
        var model = _app.Models[^1];
        var direct = (await Client(model).CompleteChatAsync(Conversation, cancellationToken: TestContext.Current.CancellationToken)).Value;

        Assert.Equal(ScriptedBackend.AnswerOf(cheap.Model), cheap.Content[0].Text);
        Assert.Equal(model, direct.Model);
        Assert.Equal(ScriptedBackend.AnswerOf(model), direct.Content[0].Text);
        Assert.Equal([cheap.Model, model], _app.Backend.Asked);
    }

    [Fact]
    public async Task An_unknown_model_surfaces_in_the_SDK_as_a_400_ClientResultException()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            Client("no-such-model").CompleteChatAsync(Conversation, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(400, error.Status);
        Assert.Empty(_app.Backend.Asked);
    }

    private ChatClient Client(string model) => new(
        model,
        new ApiKeyCredential("unused"),
        new OpenAIClientOptions
        {
            Endpoint = new Uri(_app.App.Factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(_app.App.Factory.CreateClient()),
        });
}
