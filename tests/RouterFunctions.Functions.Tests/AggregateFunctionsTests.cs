using System.Text.Json;
using RouterFunctions.Messaging;

namespace RouterFunctions.Functions.Tests;

/// <summary>POST /api/aggregate and GET /api/aggregate/{id} through <see cref="AggregateFunctions"/>.</summary>
public sealed class AggregateFunctionsTests(FunctionsFixture fixture)
{
    private static async Task<Answer> StartAsync(FunctionsApp app, object body)
    {
        using var call = HttpCall.Post(app, "/api/aggregate", body);
        return await call.AnswerAsync(await app.Function<AggregateFunctions>().StartAsync(call.Request, TestContext.Current.CancellationToken));
    }

    private static async Task<Answer> StatusAsync(FunctionsApp app, string id)
    {
        using var call = HttpCall.Get(app, "/api/aggregate/" + id);
        return await call.AnswerAsync(await app.Function<AggregateFunctions>().StatusAsync(call.Request, id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_job_is_accepted_and_its_first_call_goes_to_the_aggregate_calls_queue()
    {
        var app = fixture.App;
        var accepted = (await StartAsync(app, new { question = "Which is larger, 2^10 or 10^3?" })).AssertJson(202);
        var id = accepted.GetProperty("id").GetString()!;
        Assert.Equal($"/api/aggregate/{id}", accepted.GetProperty("statusUrl").GetString());

        // The first call is the router model's turn, keyed by (job, call) so a resend is a duplicate.
        var message = Assert.Single(app.Sent(QueueNames.AggregateCalls), m => m.MessageId.StartsWith(id + "-", StringComparison.Ordinal));
        var body = JsonDocument.Parse(message.Body.ToString()).RootElement;
        Assert.Equal(id, body.GetProperty("jobId").GetString());
        Assert.Equal($"{id}-{body.GetProperty("callId").GetString()}", message.MessageId);
        Assert.Equal("aggregate-call", message.Subject);
        Assert.Equal("application/json", message.ContentType);

        // The job is stored, waiting for that call (the workers app makes it).
        var status = (await StatusAsync(app, id)).AssertJson(200);
        Assert.Equal(id, status.GetProperty("summary").GetProperty("jobId").GetString());
    }

    [Theory]
    [InlineData("""{"question":"   "}""")]
    [InlineData("""{}""")]
    public async Task A_blank_question_is_a_400_naming_question(string json)
    {
        var app = fixture.App;
        using var call = new HttpCall(app.Services, "POST", "/api/aggregate", json);
        (await call.AnswerAsync(await app.Function<AggregateFunctions>().StartAsync(call.Request, TestContext.Current.CancellationToken))).AssertInvalid("question");
    }

    [Fact]
    public async Task Without_model_backends_aggregation_is_a_503()
    {
        await using var app = await FunctionsApp.StartAsync(fixture.ProfilePath);
        var problem = (await StartAsync(app, new { question = "What is 2 + 2?" })).AssertProblem(503);
        Assert.Equal("Aggregation is not available.", problem.GetProperty("title").GetString());
        Assert.Empty(app.Sent(QueueNames.AggregateCalls));
    }

    [Fact]
    public async Task The_status_of_an_unknown_job_is_a_404()
    {
        (await StatusAsync(fixture.App, "no-such-job")).AssertProblem(404);
    }
}
