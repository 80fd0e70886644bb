using System.Text.Json;

namespace RouterFunctions.Local.Tests.OpenAi;

/// <summary>POST /v1/chat/completions with stream: true, as OpenAI streams: SSE chat.completion.chunk events, then [DONE].</summary>
[Collection(AppCollection.Name)]
public sealed class StreamingTests : IClassFixture<ChatAppFixture>
{
    private readonly ChatAppFixture _app;

    public StreamingTests(ChatAppFixture app)
    {
        _app = app;
        app.Backend.Reset();
    }

    [Fact]
    public async Task A_routed_stream_is_server_sent_chunks_ending_in_DONE_whose_text_is_the_non_streaming_answer()
    {
        var conversation = new
        {
            model = "router",
            messages = new object[]
            {
                new { role = "system", content = "Answer briefly." },
                new { role = "user", content = "Why is the sky blue?" },
            },
        };
        var whole = await _app.PostAsync(conversation);
        whole.AssertOk();

        var call = await _app.PostAsync(new { conversation.model, conversation.messages, stream = true });

        call.AssertOk();
        Assert.Equal("text/event-stream", call.MediaType);
        Assert.Equal(whole.Model, call.Header("x-router-model"));
        Assert.False(string.IsNullOrEmpty(call.Header("x-router-request-id")));
        Assert.NotEqual(whole.Header("x-router-request-id"), call.Header("x-router-request-id"));
        Assert.Equal(whole.Header("x-router-predicted-cost"), call.Header("x-router-predicted-cost"));
        Assert.Equal([whole.Model, whole.Model], _app.Backend.Asked);
        Assert.True(_app.Backend.Requests.Last().Body.GetProperty("stream").GetBoolean());

        Assert.Equal(whole.Content, call.StreamedText);
        var chunks = call.Chunks;
        Assert.All(chunks, c =>
        {
            Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString());
            Assert.Equal(whole.Model, c.GetProperty("model").GetString());
            Assert.Equal(chunks[0].GetProperty("id").GetString(), c.GetProperty("id").GetString());
        });
        Assert.StartsWith("chatcmpl-", chunks[0].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        // Streamed as it came, in pieces, not as one blob.
        Assert.True(chunks.Count(c => Delta(c) is { Length: > 0 }) >= 3, call.Text);
        var finishes = chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Where(c => c.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String).ToList();
        Assert.Equal("stop", Assert.Single(finishes).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_stream_asked_with_include_usage_ends_with_a_usage_chunk_without_choices()
    {
        var call = await _app.PostAsync(new
        {
            model = "router",
            messages = new[] { new { role = "user", content = "Count to three." } },
            stream = true,
            stream_options = new { include_usage = true },
        });

        call.AssertOk();
        var last = call.Chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        Assert.Equal(16, last.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task A_stream_not_asked_for_usage_has_a_choice_in_every_chunk_as_OpenAI_streams()
    {
        var call = await _app.PostAsync(ChatAppFixture.Ask("router", "Count to three.", stream: true));

        call.AssertOk();
        Assert.All(call.Chunks, c =>
        {
            Assert.Equal(1, c.GetProperty("choices").GetArrayLength());
            Assert.False(c.TryGetProperty("usage", out _), c.ToString());
        });
    }

    [Fact]
    public async Task A_passed_through_stream_comes_from_that_model_without_router_headers()
    {
        var model = _app.Models[0];

        var call = await _app.PostAsync(ChatAppFixture.Ask(model, "Why is the sky blue?", stream: true));

        call.AssertOk();
        Assert.Equal("text/event-stream", call.MediaType);
        Assert.Empty(call.RouterHeaders);
        Assert.Equal([model], _app.Backend.Asked);
        Assert.Equal(ScriptedBackend.AnswerOf(model), call.StreamedText);
        Assert.All(call.Chunks, c => Assert.Equal(model, c.GetProperty("model").GetString()));
    }

    private static string? Delta(JsonElement chunk) =>
        chunk.GetProperty("choices").EnumerateArray()
            .Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
            .FirstOrDefault();
}
