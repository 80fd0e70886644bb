using System.Text.Json;
using RouterFunctions.Messaging;

namespace RouterFunctions.Functions.Tests;

/// <summary>POST /api/feedback through <see cref="FeedbackFunction"/>: the event goes to Service Bus through the SDK.</summary>
public sealed class FeedbackFunctionTests(FunctionsFixture fixture)
{
    private readonly FunctionsApp _app = fixture.App;

    private async Task<string> RouteAsync(string query)
    {
        using var call = HttpCall.Post(_app, "/api/route", new { query });
        var body = (await call.AnswerAsync(await _app.Function<RouteFunction>().RunAsync(call.Request, TestContext.Current.CancellationToken))).AssertJson(200);
        return body.GetProperty("requestId").GetString()!;
    }

    private async Task<Answer> SubmitAsync(object body)
    {
        using var call = HttpCall.Post(_app, "/api/feedback", body);
        return await call.AnswerAsync(await _app.Function<FeedbackFunction>().RunAsync(call.Request, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Feedback_on_a_routed_request_is_accepted_and_sent_to_the_feedback_queue()
    {
        var requestId = await RouteAsync("Translate 'good morning' into French.");

        var accepted = (await SubmitAsync(new { requestId, score = 0.8 })).AssertJson(202);
        var id = accepted.GetProperty("id").GetString()!;
        Assert.Equal(requestId, accepted.GetProperty("requestId").GetString());
        Assert.Equal(0.8, accepted.GetProperty("score").GetDouble());

        var message = Assert.Single(_app.Sent(QueueNames.Feedback), m => m.MessageId == id);
        Assert.Equal("feedback", message.Subject);
        Assert.Equal("application/json", message.ContentType);
        var body = JsonDocument.Parse(message.Body.ToString()).RootElement;
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal(requestId, body.GetProperty("requestId").GetString());
        Assert.Equal(0.8, body.GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Feedback_on_an_unknown_request_is_a_404_and_sends_nothing()
    {
        var before = _app.Sent(QueueNames.Feedback).Count;
        var problem = (await SubmitAsync(new { requestId = "no-such-request", score = 1 })).AssertProblem(404);
        Assert.Contains("no-such-request", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, _app.Sent(QueueNames.Feedback).Count);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(-0.5)]
    public async Task A_score_outside_zero_to_one_is_a_400_naming_score(double score)
    {
        var requestId = await RouteAsync("Name a prime number greater than 10.");
        var before = _app.Sent(QueueNames.Feedback).Count;
        (await SubmitAsync(new { requestId, score })).AssertInvalid("score");
        Assert.Equal(before, _app.Sent(QueueNames.Feedback).Count);
    }
}
