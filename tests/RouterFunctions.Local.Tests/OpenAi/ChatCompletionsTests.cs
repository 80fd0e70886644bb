using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RouterFunctions.Application;
using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Local.Tests.OpenAi;

/// <summary>POST /v1/chat/completions non-streaming: routed, by policy, passed through; and GET /v1/models.</summary>
[Collection(AppCollection.Name)]
public sealed class ChatCompletionsTests : IClassFixture<ChatAppFixture>
{
    private readonly ChatAppFixture _app;

    public ChatCompletionsTests(ChatAppFixture app)
    {
        _app = app;
        app.Backend.Reset();
    }

    [Fact]
    public async Task Model_router_answers_in_OpenAI_shape_from_the_routed_model_and_names_it_in_body_and_headers()
    {
        const string question = "Which gas do plants absorb from the air for photosynthesis?";
        var ranking = await _app.RankingAsync(question);

        var call = await _app.PostAsync(ChatAppFixture.Ask("router", question));

        call.AssertOk();
        Assert.Equal("application/json", call.MediaType);
        var body = call.Json;
        var model = ranking[0].Model;
        Assert.Equal(model, call.Model);
        Assert.Equal(model, call.Header("x-router-model"));
        Assert.Equal([model], _app.Backend.Asked);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(body.GetProperty("created").GetInt64() > 1_700_000_000, call.Text);
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(ScriptedBackend.AnswerOf(model), call.Content);
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(12, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(16, usage.GetProperty("total_tokens").GetInt32());

        // The headers are the routing decision's, for the model that answered.
        var requestId = call.Header("x-router-request-id");
        Assert.False(string.IsNullOrEmpty(requestId));
        Assert.Equal(model, (await _app.App.Get<IDecisionLog>().GetAsync(requestId, CancellationToken.None))?.Model);
        AssertPredictions(call, ranking[0]);

        // The backend got the conversation under its own model id, not "router".
        var sent = Assert.Single(_app.Backend.Requests).Body;
        Assert.Equal(model, sent.GetProperty("model").GetString());
        var message = Assert.Single(sent.GetProperty("messages").EnumerateArray());
        Assert.Equal("user", message.GetProperty("role").GetString());
        Assert.Equal(question, TextOf(message));
    }

    [Fact]
    public async Task Routing_reads_the_latest_user_turn_the_system_prompt_and_the_configured_number_of_earlier_user_turns()
    {
        const string system = "You are a patient chemistry tutor for high-school students.";
        string[] users = ["I keep mixing up acids and bases.", "What is a pH scale, roughly?", "So what is the pH of pure water at room temperature?"];
        var messages = new object[]
        {
            new { role = "system", content = system },
            new { role = "user", content = users[0] },
            new { role = "assistant", content = "Happy to help." },
            new { role = "user", content = users[1] },
            new { role = "assistant", content = "A scale from 0 to 14." },
            new { role = "user", content = users[2] },
        };

        var call = await _app.PostAsync(new { model = "router", messages });

        call.AssertOk();
        var routed = await _app.RoutedEmbeddingAsync(call.Header("x-router-request-id")!);
        // Two user turns (Router:ChatRoutingUserTurns = 2), the latest first, then the system prompt, then the earlier one.
        Assert.Equal(await _app.EmbedAsync($"{users[2]}\n{system}\n{users[1]}"), routed);
        Assert.NotEqual(await _app.EmbedAsync(users[2]), routed);
        Assert.NotEqual(await _app.EmbedAsync($"{users[2]}\n{system}\n{users[1]}\n{users[0]}"), routed);

        // Routing reads part of the conversation; the model gets all of it, in order.
        var sent = Assert.Single(_app.Backend.Requests).Body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "user", "assistant", "user", "assistant", "user"], sent.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(messages.Length, sent.Count);
        Assert.Equal(system, TextOf(sent[0]));
        Assert.Equal(users[2], TextOf(sent[5]));
    }

    [Theory]
    [InlineData("Sam put the book in the bag because _ was empty. Option1: book Option2: bag")]
    [InlineData("Write a Python function that returns the n-th Fibonacci number.")]
    [InlineData("Natalia sold clips to 48 of her friends in April, and then half as many in May. How many clips did she sell?")]
    public async Task Router_cheap_picks_a_model_no_dearer_and_router_quality_one_no_worse_each_as_its_policy_ranks(string question)
    {
        var cheap = await _app.PostAsync(ChatAppFixture.Ask("router:cheap", question));
        var quality = await _app.PostAsync(ChatAppFixture.Ask("router:quality", question));

        cheap.AssertOk();
        quality.AssertOk();
        Assert.Equal([cheap.Model, quality.Model], _app.Backend.Asked);
        // Each is ranked by its configured policy (by default: quality cost weight 0, cheap 0.6).
        var policies = _app.App.Get<IOptions<RouterOptions>>().Value.Policies;
        Assert.True(policies["cheap"].CostWeight > policies["quality"].CostWeight);
        Assert.Equal((await _app.RankingAsync(question, policies["cheap"].CostWeight))[0].Model, cheap.Model);
        Assert.Equal((await _app.RankingAsync(question, policies["quality"].CostWeight))[0].Model, quality.Model);
        Assert.True(
            Predicted(cheap, "cost") <= Predicted(quality, "cost"),
            $"cheap {cheap.Model} costs {Predicted(cheap, "cost")}, quality {quality.Model} {Predicted(quality, "cost")}");
        Assert.True(Predicted(quality, "quality") >= Predicted(cheap, "quality"));
    }

    [Fact]
    public async Task An_unknown_policy_is_a_400_naming_model_and_calls_no_model()
    {
        var call = await _app.PostAsync(ChatAppFixture.Ask("router:reckless", "What is 2 + 2?"));

        call.AssertInvalid("model");
        Assert.Contains("reckless", call.Text, StringComparison.Ordinal);
        Assert.Empty(_app.Backend.Asked);
    }

    [Fact]
    public async Task A_configured_model_name_passes_straight_through_without_router_headers()
    {
        var model = _app.Models.Contains("mistralai/mistral-7b-chat") ? "mistralai/mistral-7b-chat" : _app.Models[^1];

        var call = await _app.PostAsync(ChatAppFixture.Ask(model, "Which gas do plants absorb from the air for photosynthesis?"));

        call.AssertOk();
        Assert.Equal(model, call.Model);
        Assert.Equal(ScriptedBackend.AnswerOf(model), call.Content);
        Assert.Equal([model], _app.Backend.Asked);
        Assert.Empty(call.RouterHeaders);
    }

    [Fact]
    public async Task The_deployed_prefix_api_v1_serves_the_same_endpoint()
    {
        using var response = await _app.Client.PostAsJsonAsync("/api/v1/chat/completions", ChatAppFixture.Ask("router", "What is the capital of France?"));
        var call = await ChatCall.ReadAsync(response);

        call.AssertOk();
        Assert.Equal(call.Header("x-router-model"), call.Model);
        Assert.Equal(ScriptedBackend.AnswerOf(call.Model), call.Content);
        Assert.Equal([call.Model], _app.Backend.Asked);
    }

    [Fact]
    public async Task An_unknown_model_is_a_400_naming_model()
    {
        var call = await _app.PostAsync(ChatAppFixture.Ask("gpt-17-ultra", "What is 2 + 2?"));

        call.AssertInvalid("model");
        Assert.Empty(_app.Backend.Asked);
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/api/v1/models")]
    public async Task Models_lists_the_router_its_policies_and_every_configured_model(string path)
    {
        var body = await _app.Client.GetFromJsonAsync<JsonElement>(path);

        Assert.Equal("list", body.GetProperty("object").GetString());
        var data = body.GetProperty("data").EnumerateArray().ToList();
        Assert.All(data, m => Assert.Equal("model", m.GetProperty("object").GetString()));
        var ids = data.Select(m => m.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Distinct(StringComparer.Ordinal).Count(), ids.Count);
        string[] expected = ["router", "router-r1", "router:balanced", "router:cheap", "router:quality", .. _app.Models];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal("router", ids[0]);
    }

    private static void AssertPredictions(ChatCall call, RankedModel expected)
    {
        Assert.Equal(expected.PredictedQuality, Predicted(call, "quality"), tolerance: 1e-4);
        Assert.Equal(expected.PredictedCost, Predicted(call, "cost"), tolerance: 1e-8);
    }

    internal static double Predicted(ChatCall call, string what) =>
        double.Parse(call.Header($"x-router-predicted-{what}") ?? throw new InvalidOperationException($"no x-router-predicted-{what}: {call.Text}"), CultureInfo.InvariantCulture);

    /// <summary>A message's text as a backend received it: a string, or the text parts of a list.</summary>
    internal static string TextOf(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }
}
