using System.Text.Json;

namespace RouterFunctions.Functions.Tests;

/// <summary>The OpenAI-compatible API through <see cref="ChatFunctions"/>, over the routing chat client and scripted backends.</summary>
public sealed class ChatFunctionsTests(FunctionsFixture fixture)
{
    private readonly FunctionsApp _app = fixture.App;

    private async Task<(Answer Answer, HttpCall Call)> CompleteAsync(object body)
    {
        var call = HttpCall.Post(_app, "/api/v1/chat/completions", body);
        var result = await _app.Function<ChatFunctions>().CompleteAsync(call.Request, TestContext.Current.CancellationToken);
        return (await call.AnswerAsync(result), call);
    }

    private static object Ask(string question, bool stream = false) =>
        new { model = "router", messages = new[] { new { role = "user", content = question } }, stream };

    [Fact]
    public async Task Models_lists_the_router_its_policies_and_every_backend()
    {
        using var call = HttpCall.Get(_app, "/api/v1/models");
        var list = (await call.AnswerAsync(_app.Function<ChatFunctions>().List(call.Request))).AssertJson(200);
        Assert.Equal("list", list.GetProperty("object").GetString());
        var ids = list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
        Assert.Contains("router", ids);
        Assert.Contains("router:cheap", ids);
        Assert.All(fixture.Models, m => Assert.Contains(m, ids));
    }

    [Fact]
    public async Task A_routed_completion_answers_from_the_routed_model()
    {
        var (answer, call) = await CompleteAsync(Ask("Write a haiku about autumn leaves."));
        using (call)
        {
            var body = answer.AssertJson(200);
            var model = answer.Header("x-router-model");
            Assert.Contains(model, fixture.Models);
            Assert.False(string.IsNullOrEmpty(answer.Header("x-router-request-id")));
            Assert.Equal("chat.completion", body.GetProperty("object").GetString());
            Assert.Equal(model, body.GetProperty("model").GetString());
            Assert.Equal(ScriptedModels.AnswerOf(model!), body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }
    }

    [Fact]
    public async Task A_streamed_completion_is_server_sent_events_ending_with_done()
    {
        var (answer, call) = await CompleteAsync(Ask("Explain photosynthesis briefly.", stream: true));
        using (call)
        {
            Assert.True(answer.Status == 200, answer.Text);
            Assert.Equal("text/event-stream", answer.MediaType);
            var model = answer.Header("x-router-model");
            Assert.Contains(model, fixture.Models);
            var events = answer.Events;
            Assert.Equal("[DONE]", events[^1]);
            var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToList();
            Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
            var text = string.Concat(chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
                .Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : ""));
            Assert.Equal(ScriptedModels.AnswerOf(model!), text);
            Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        }
    }

    [Fact]
    public async Task A_request_without_messages_is_a_400_naming_messages()
    {
        var asked = fixture.Backend.Asked.Count;
        var (answer, call) = await CompleteAsync(new { model = "router" });
        using (call)
        {
            answer.AssertInvalid("messages");
            Assert.Equal(asked, fixture.Backend.Asked.Count);
        }
    }
}
