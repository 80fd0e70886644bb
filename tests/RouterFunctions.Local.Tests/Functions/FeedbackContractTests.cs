using System.Net;
using System.Text;
using System.Text.Json;
using RouterFunctions.Core.Feedback;
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
    public async Task A_resend_of_the_same_body_answers_202_with_the_same_id_and_is_counted_once()
    {
        var routed = await App.RouteAsync("Name the largest planet in the solar system.");
        await App.QueuesSettledAsync();
        var counted = await App.TotalCountAsync();
        var body = JsonSerializer.Serialize(new { requestId = routed.RequestId, score = 1 });

        var first = await PostAsync(body);
        await App.QueuesSettledAsync();
        var second = await PostAsync(body);
        var third = await PostAsync(body, idempotencyKey: null);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.Status, second.Status, third.Status));
        var answers = new[] { first, second, third }.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Single(answers.Select(a => a.GetProperty("id").GetString()).Distinct());
        Assert.Equal([false, true, true], answers.Select(a => a.GetProperty("duplicate").GetBoolean()));
        await App.QueuesSettledAsync();
        Assert.Single(await App.StoredFeedbackAsync(), e => e.Id == answers[0].GetProperty("id").GetString());
        Assert.Equal(counted + 1, await App.TotalCountAsync(), 9);
        Assert.True((await App.GetJsonAsync("/api/stats")).GetProperty("feedback").GetProperty("duplicates").GetInt64() >= 2);
    }

    [Fact]
    public async Task Distinct_idempotency_keys_make_distinct_events_and_a_key_resent_in_the_body_is_the_same_event()
    {
        var routed = await App.RouteAsync("Which planet is known as the red planet?");
        var body = JsonSerializer.Serialize(new { requestId = routed.RequestId, score = 1 });

        var a = await PostAsync(body, idempotencyKey: "key-a");
        var b = await PostAsync(body, idempotencyKey: "key-b");
        var aInBody = await PostAsync(JsonSerializer.Serialize(new { requestId = routed.RequestId, score = 1, id = "key-a" }));

        var ids = new[] { a, b, aInBody }.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()!).ToList();
        Assert.NotEqual(ids[0], ids[1]);
        Assert.Equal(ids[0], ids[2]);
        await App.QueuesSettledAsync();
        Assert.Equal(2, (await App.StoredFeedbackAsync()).Count(e => ids.Contains(e.Id)));
    }

    [Fact]
    public async Task The_same_key_with_another_body_answers_409_problem_details_and_enqueues_nothing()
    {
        var routed = await App.RouteAsync("What is the chemical symbol for gold?");
        await PostAsync(JsonSerializer.Serialize(new { requestId = routed.RequestId, score = 1 }), idempotencyKey: "once");
        await App.QueuesSettledAsync();
        var before = (await App.StoredFeedbackAsync()).Count;

        var (status, mediaType, body) = await PostAsync(JsonSerializer.Serialize(new { requestId = routed.RequestId, score = 0 }), idempotencyKey: "once");

        Assert.True(status == HttpStatusCode.Conflict, $"{(int)status}: {body}");
        Assert.Equal("application/problem+json", mediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Contains("'once'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingEnqueuedAsync(before);
    }

    [Theory]
    [InlineData("key-1", "key-2", "id")]
    [InlineData(null, "not a key!", "Idempotency-Key")]
    public async Task A_bad_key_or_a_header_and_id_that_differ_answer_400_naming_the_field(string? id, string header, string field)
    {
        var routed = await App.RouteAsync("How many continents are there?");
        await App.QueuesSettledAsync();
        var before = (await App.StoredFeedbackAsync()).Count;

        var (status, _, body) = await PostAsync(JsonSerializer.Serialize(new { requestId = routed.RequestId, score = 1, id }), idempotencyKey: header);

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        await AssertNothingEnqueuedAsync(before);
    }

    [Fact]
    public async Task A_requestId_older_than_the_retention_answers_410_saying_it_was_purged()
    {
        await App.QueuesSettledAsync();
        var before = (await App.StoredFeedbackAsync()).Count;
        var expired = RequestIds.New(DateTimeOffset.UtcNow.AddDays(-8));

        var (status, mediaType, body) = await PostAsync(JsonSerializer.Serialize(new { requestId = expired, score = 1 }));

        Assert.True(status == HttpStatusCode.Gone, $"{(int)status}: {body}");
        Assert.Equal("application/problem+json", mediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(410, problem.GetProperty("status").GetInt32());
        Assert.Contains("7 days", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingEnqueuedAsync(before);
    }

    [Fact]
    public async Task A_requestId_made_moments_ago_is_accepted_and_counted_once_its_decision_is_stored()
    {
        var routed = await App.RouteAsync("What is the freezing point of water in Fahrenheit?");
        var decision = (await App.Get<IDecisionLog>().GetAsync(routed.RequestId, CancellationToken.None))!;
        await App.QueuesSettledAsync();
        var counted = await App.TotalCountAsync();
        var pending = RequestIds.New(DateTimeOffset.UtcNow.AddSeconds(-2));

        var (status, _, body) = await PostAsync(JsonSerializer.Serialize(new { requestId = pending, score = 1 }));
        // Another instance's write-behind stores the decision a moment later; the consumer's redelivery then counts it.
        await App.Get<IDecisionLog>().RecordAsync(decision with { RequestId = pending }, CancellationToken.None);

        Assert.True(status == HttpStatusCode.Accepted, $"{(int)status}: {body}");
        await App.QueuesSettledAsync();
        Assert.Single(await App.StoredFeedbackAsync(), e => e.RequestId == pending);
        Assert.Equal(counted + 1, await App.TotalCountAsync(), 9);
        Assert.Empty(await App.ParkedAsync());
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

    [Theory]
    [InlineData("never-routed")]
    [InlineData("4f1c9a2be3d54c6f8a7b9c0d1e2f3a4b")] // a v4 GUID: not an id the router makes, however fresh
    public async Task An_unknown_request_id_answers_404_and_enqueues_nothing(string requestId)
    {
        await App.QueuesSettledAsync();
        var before = (await App.StoredFeedbackAsync()).Count;

        var (status, mediaType, body) = await PostAsync($$"""{"requestId":"{{requestId}}","score":1}""");

        Assert.True(status == HttpStatusCode.NotFound, $"{(int)status}: {body}");
        Assert.Equal("application/problem+json", mediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains(requestId, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
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

    private async Task<(HttpStatusCode Status, string? MediaType, string Body)> PostAsync(string body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/feedback", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        using var response = await App.Client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
