using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RouterFunctions.Local.Tests.Functions;

/// <summary>
/// POST /Feedback: the HTTP trigger with a Service Bus output, so the host posts its invocation payload and turns
/// Outputs.res into the HTTP answer and Outputs.feedbackOut into queue messages. Only validates and reads decisions.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FeedbackContractTests(RouterAppFixture app)
{
    private const string Function = "Feedback";

    public static TheoryData<string, double> GoodBodies => new()
    {
        { """{"requestId":"{R}","score":0.75}""", 0.75 },
        { """{"requestId":"{R}","verdict":"underpowered"}""", 0 },
        { """{"requestId":"{R}","verdict":"overprovisioned","score":1,"model":"claude-v2","cost":0.002,"latencyMs":1200,"source":"eval"}""", 1 },
        { """{"requestId":"{R}","score":0.5,"verdict":"failed"}""", 0.5 },
    };

    [Theory]
    [MemberData(nameof(GoodBodies))]
    public async Task A_valid_body_answers_202_and_outputs_the_event_to_enqueue(string template, double score)
    {
        var routed = await TestApp.RouteAsync(app.Client, "What is the boiling point of water at sea level?");

        var result = (await Invoke(template.Replace("{R}", routed.RequestId, StringComparison.Ordinal))).AssertSucceeded();

        var res = result.Outputs.GetProperty("res");
        Assert.Equal("202", res.GetProperty("statusCode").GetString());
        Assert.Equal("application/json", res.GetProperty("headers").GetProperty("Content-Type").GetString());
        var body = res.GetProperty("body");
        var queued = Assert.Single(result.Outputs.GetProperty("feedbackOut").EnumerateArray());
        Assert.Equal(JsonValueKind.Object, queued.ValueKind);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("id").GetString()));
        Assert.Equal(body.GetProperty("id").GetString(), queued.GetProperty("id").GetString());
        Assert.Equal(routed.RequestId, body.GetProperty("requestId").GetString());
        Assert.Equal(routed.RequestId, queued.GetProperty("requestId").GetString());
        Assert.Equal(score, body.GetProperty("score").GetDouble());
        Assert.Equal(score, queued.GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Each_accepted_body_gets_its_own_event_id()
    {
        var routed = await TestApp.RouteAsync(app.Client, "Name the largest planet in the solar system.");
        var body = JsonSerializer.Serialize(new { requestId = routed.RequestId, score = 1 });

        var first = (await Invoke(body)).AssertSucceeded();
        var second = (await Invoke(body)).AssertSucceeded();

        Assert.NotEqual(
            first.Outputs.GetProperty("feedbackOut")[0].GetProperty("id").GetString(),
            second.Outputs.GetProperty("feedbackOut")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_body_given_as_an_object_instead_of_a_string_is_read_the_same()
    {
        var routed = await TestApp.RouteAsync(app.Client, "Which organ pumps blood through the body?");
        var payload = HostPayloads.Http(Function, "feedback", null, new JsonObject { ["requestId"] = routed.RequestId, ["score"] = 1 });

        var result = (await TestApp.InvokeAsync(app.Client, Function, payload)).AssertSucceeded();

        Assert.Equal("202", result.Outputs.GetProperty("res").GetProperty("statusCode").GetString());
        Assert.Equal(routed.RequestId, result.Outputs.GetProperty("feedbackOut")[0].GetProperty("requestId").GetString());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"requestId":"{R}"}""", "score" },
        { """{"requestId":"{R}","score":1.5}""", "score" },
        { """{"requestId":"{R}","score":"high"}""", "score" },
        { """{"requestId":"{R}","verdict":"meh"}""", "verdict" },
        { """{"requestId":"{R}","score":1,"verdict":"failed"}""", "verdict" },
        { """{"requestId":"{R}","score":1,"cost":-1}""", "cost" },
        { """{"score":1}""", "requestId" },
        { """{"requestId":"{R}","score":1""", "score" }, // truncated: the reader names where it stopped
        { "not json", "body" },
        { "", "body" },
        { "null", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_answers_400_naming_the_field_and_enqueues_nothing(string template, string field)
    {
        var routed = await TestApp.RouteAsync(app.Client, "How many legs does an insect have?");

        var result = (await Invoke(template.Replace("{R}", routed.RequestId, StringComparison.Ordinal))).AssertSucceeded();

        var res = result.Outputs.GetProperty("res");
        Assert.Equal("400", res.GetProperty("statusCode").GetString());
        Assert.Equal("application/problem+json", res.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.True(res.GetProperty("body").GetProperty("errors").TryGetProperty(field, out _), res.ToString());
        Assert.False(result.HasOutput("feedbackOut"), result.Text);
    }

    [Fact]
    public async Task An_unknown_request_id_answers_404_and_enqueues_nothing()
    {
        var result = (await Invoke("""{"requestId":"never-routed","score":1}""")).AssertSucceeded();

        var res = result.Outputs.GetProperty("res");
        Assert.Equal("404", res.GetProperty("statusCode").GetString());
        Assert.Contains("never-routed", res.GetProperty("body").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(result.HasOutput("feedbackOut"), result.Text);
    }

    [Fact]
    public async Task The_invocation_itself_succeeds_even_when_the_request_is_refused()
    {
        // The host must get a 2xx to send Outputs.res; a non-2xx would fail the invocation and the caller would see a 500.
        var result = await Invoke("not json");

        Assert.Equal(HttpStatusCode.OK, result.Status);
    }

    private Task<Invocation> Invoke(string body) => TestApp.InvokeAsync(app.Client, Function, HostPayloads.Http(Function, "feedback", body));
}
