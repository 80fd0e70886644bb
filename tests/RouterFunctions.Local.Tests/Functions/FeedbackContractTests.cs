using System.Net;
using System.Text;
using System.Text.Json;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Local.Tests.Functions;

/// <summary>An app of the feedback contract tests' own: their feedback is ingested for real, and must not retrain the shared one.</summary>
public sealed class FeedbackAppFixture(RouterAppFixture fixture) : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await TestApp.StartAsync(fixture, new()
    {
        ["Feedback:RetrainAfterEvents"] = "1000000",
        ["Feedback:DriftMinCount"] = "1000000",
    });

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}

/// <summary>
/// POST /api/feedback: validates, reads the decision, answers 202 with the event's id and puts the event on the
/// feedback queue, whose consumer stores and counts it; a refused body is a 400 or 404 ProblemDetails and nothing is
/// enqueued. (Formerly the Feedback function's host contract, whose output binding did the enqueueing.)
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FeedbackContractTests(FeedbackAppFixture fixture) : IClassFixture<FeedbackAppFixture>
{
    private TestApp App => fixture.App;

    public static TheoryData<string, double> GoodBodies => new()
    {
        { """{"requestId":"{R}","score":0.75}""", 0.75 },
        { """{"requestId":"{R}","verdict":"underpowered"}""", 0 },
        { """{"requestId":"{R}","verdict":"overprovisioned","score":1,"model":"claude-v2","cost":0.002,"latencyMs":1200,"source":"eval"}""", 1 },
        { """{"requestId":"{R}","score":0.5,"verdict":"failed"}""", 0.5 },
    };

    [Theory]
    [MemberData(nameof(GoodBodies))]
    public async Task A_valid_body_answers_202_and_its_event_reaches_the_feedback_queue_and_is_counted(string template, double score)
    {
        var routed = await App.RouteAsync("What is the boiling point of water at sea level?");
        await App.QueuesSettledAsync();
        var counted = await App.TotalCountAsync();

        var (status, mediaType, body) = await PostAsync(template.Replace("{R}", routed.RequestId, StringComparison.Ordinal));

        Assert.True(status == HttpStatusCode.Accepted, $"{(int)status}: {body}");
        Assert.Equal("application/json", mediaType);
        var answer = JsonDocument.Parse(body).RootElement;
        var id = answer.GetProperty("id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(routed.RequestId, answer.GetProperty("requestId").GetString());
        Assert.Equal(score, answer.GetProperty("score").GetDouble());

        await App.QueuesSettledAsync();
        var stored = Assert.Single(await App.StoredFeedbackAsync(), e => e.Id == id);
        Assert.Equal((routed.RequestId, score), (stored.RequestId, stored.Score));
        Assert.Equal(counted + 1, await App.TotalCountAsync(), 9);
        Assert.Empty(App.Get<LocalQueues>().Feedback.DeadLetters);
    }

    [Fact]
    public async Task Each_accepted_body_gets_its_own_event_id()
    {
        var routed = await App.RouteAsync("Name the largest planet in the solar system.");
        var body = JsonSerializer.Serialize(new { requestId = routed.RequestId, score = 1 });

        var first = await PostAsync(body);
        var second = await PostAsync(body);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.Status, second.Status));
        var ids = new[] { first, second }.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()!).ToList();
        Assert.NotEqual(ids[0], ids[1]);
        await App.QueuesSettledAsync();
        Assert.Equal(2, (await App.StoredFeedbackAsync()).Count(e => ids.Contains(e.Id)));
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
        var routed = await App.RouteAsync("How many legs does an insect have?");
        await App.QueuesSettledAsync();
        var before = (await App.StoredFeedbackAsync()).Count;

        var (status, mediaType, body) = await PostAsync(template.Replace("{R}", routed.RequestId, StringComparison.Ordinal));

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {body}");
        Assert.Equal("application/problem+json", mediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), body);
        await AssertNothingEnqueuedAsync(before);
    }

    [Fact]
    public async Task An_unknown_request_id_answers_404_and_enqueues_nothing()
    {
        await App.QueuesSettledAsync();
        var before = (await App.StoredFeedbackAsync()).Count;

        var (status, mediaType, body) = await PostAsync("""{"requestId":"never-routed","score":1}""");

        Assert.True(status == HttpStatusCode.NotFound, $"{(int)status}: {body}");
        Assert.Equal("application/problem+json", mediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("never-routed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingEnqueuedAsync(before);
    }

    // Nothing was sent: the queue is idle (it was settled before the request), and nothing new is stored or parked.
    private async Task AssertNothingEnqueuedAsync(int storedBefore)
    {
        Assert.Equal(0, App.Get<LocalQueues>().Feedback.Pending);
        await App.QueuesSettledAsync();
        Assert.Equal(storedBefore, (await App.StoredFeedbackAsync()).Count);
        Assert.Empty(await App.ParkedAsync());
    }

    private async Task<(HttpStatusCode Status, string? MediaType, string Body)> PostAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await App.Client.PostAsync(new Uri("/api/feedback", UriKind.Relative), content);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
