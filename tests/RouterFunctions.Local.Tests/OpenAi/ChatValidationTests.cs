namespace RouterFunctions.Local.Tests.OpenAi;

/// <summary>Requests the router cannot serve: 400 ProblemDetails naming the field, and no model is called.</summary>
[Collection(AppCollection.Name)]
public sealed class ChatValidationTests : IClassFixture<ChatAppFixture>
{
    private readonly ChatAppFixture _app;

    public ChatValidationTests(ChatAppFixture app)
    {
        _app = app;
        app.Backend.Reset();
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":" ","messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"router","messages":[]}""", "messages")]
    [InlineData("""{"model":"router"}""", "messages")]
    [InlineData("""{"model":"router","messages":[{"role":"assistant","content":"hello"}]}""", "messages")]
    [InlineData("""{"model":"router","messages":[{"role":"user","content":"   "}]}""", "messages")]
    [InlineData("""{"model":"router","messages":[{"role":"user","content":"hi"},{"role":"tool","content":"42","tool_call_id":"c1"}]}""", "messages[1].role")]
    [InlineData("""{"model":"router","messages":[{"content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"router","messages":[null]}""", "messages[0].role")]
    [InlineData("""{"model":"router","messages":[{"role":"user","content":42}]}""", "messages[0].content")]
    [InlineData("""{"model":"router","messages":[{"role":"user","content":["hi"]}]}""", "messages[0].content")]
    [InlineData("""{"model":"router","messages":[{"role":"user","content":"hi"}],"n":2}""", "n")]
    [InlineData("""{"model":"router","messages":[{"role":"user","content":"hi"}],"temperature":5}""", "temperature")]
    [InlineData("""{"model":"router","messages":[{"role":"user","content":"hi"}],"temperature":-0.1}""", "temperature")]
    [InlineData("""{"model":"router","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens")]
    [InlineData("""{"model":"router","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":-1}""", "max_completion_tokens")]
    [InlineData("""{"model":"router","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream")]
    [InlineData("""{"model":"router","messages":{"role":"user","content":"hi"}}""", "messages")]
    [InlineData("""{"model":"router","messages":[{"role":"user","content":"hi"}]""", "body")]
    [InlineData("""{"model":"router",""", "body")]
    [InlineData("not json", "body")]
    [InlineData("null", "body")]
    [InlineData("", "body")]
    public async Task An_invalid_request_is_a_400_problem_naming_the_field_and_calls_no_model(string json, string field)
    {
        var call = await _app.PostRawAsync(json);

        call.AssertInvalid(field);
        Assert.Empty(_app.Backend.Asked);
    }

    [Theory]
    [InlineData("router")]
    [InlineData("router:quality")]
    public async Task Content_as_a_list_of_parts_is_read_for_its_text_parts(string model)
    {
        var call = await _app.PostRawAsync($$"""
            {"model":"{{model}}","messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"What is "},{"type":"text","text":"2 + 2?"}]}]}
            """);

        call.AssertOk();
        var sent = Assert.Single(_app.Backend.Requests).Body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("system", sent[0].GetProperty("role").GetString());
        Assert.Equal("What is 2 + 2?", ChatCompletionsTests.TextOf(sent[1]));
    }

    [Fact]
    public async Task Sampling_options_reach_the_model()
    {
        var call = await _app.PostRawAsync("""
            {"model":"router","messages":[{"role":"user","content":"hi"}],"temperature":0.3,"top_p":0.9,"max_tokens":50,"stop":["\n\n"],"n":1}
            """);

        call.AssertOk();
        var sent = Assert.Single(_app.Backend.Requests).Body;
        Assert.Equal(0.3, sent.GetProperty("temperature").GetDouble(), tolerance: 1e-6);
        Assert.Equal(0.9, sent.GetProperty("top_p").GetDouble(), tolerance: 1e-6);
        var max = sent.TryGetProperty("max_completion_tokens", out var m) ? m : sent.GetProperty("max_tokens");
        Assert.Equal(50, max.GetInt32());
        Assert.Equal("\n\n", Assert.Single(sent.GetProperty("stop").EnumerateArray()).GetString());
    }
}
