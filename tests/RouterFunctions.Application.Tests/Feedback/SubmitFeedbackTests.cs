using System.Text.Json;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Routing;
using RouterFunctions.Messaging;

namespace RouterFunctions.Application.Tests.Feedback;

public sealed class SubmitFeedbackTests : IDisposable
{
    private readonly UseCaseRig _rig = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    private async Task<string> RoutedRequestAsync()
    {
        _rig.UseProfile();
        return (await _rig.Routing().RouteAsync(_rig.Profiles.Current!, "a query", RoutingPolicy.Default, null, Token)).RequestId;
    }

    [Theory]
    [InlineData(null, 0.5, null, "requestId")]
    [InlineData("r1", null, null, "score")]
    [InlineData("r1", 1.5, null, "score")]
    [InlineData("r1", null, "meh", "verdict")]
    [InlineData("r1", 0.0, "good_fit", "verdict")]
    public async Task An_invalid_request_is_invalid_names_its_field_and_sends_nothing(string? requestId, double? score, string? verdict, string field)
    {
        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, score, verdict, null, null, null, null), Token);

        Assert.False(outcome.Succeeded);
        Assert.Equal((ErrorKind.Invalid, field), (outcome.Error.Kind, outcome.Error.Field));
        Assert.Empty(_rig.Sender.Sent);
    }

    [Fact]
    public async Task Feedback_on_an_unknown_requestId_is_not_found_and_nothing_is_sent()
    {
        await RoutedRequestAsync();

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest("no-such-request", 1, null, null, null, null, null), Token);

        Assert.False(outcome.Succeeded);
        Assert.Equal(ErrorKind.NotFound, outcome.Error.Kind);
        Assert.Contains("no-such-request", outcome.Error.Detail, StringComparison.Ordinal);
        Assert.Empty(_rig.Sender.Sent);
    }

    [Fact]
    public async Task Accepted_feedback_is_one_message_on_the_feedback_queue_keyed_by_the_event_id()
    {
        var requestId = await RoutedRequestAsync();

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, 0.8, null, "dear", 0.002, 850, "eval"), Token);

        Assert.True(outcome.Succeeded);
        var feedback = outcome.Value;
        Assert.Equal(new FeedbackEvent(feedback.Id, requestId, 0.8, null, "dear", 0.002, 850, "eval", _rig.Time.GetUtcNow()), feedback);
        Assert.False(string.IsNullOrEmpty(feedback.Id));
        var (queue, message) = Assert.Single(_rig.Sender.Sent);
        Assert.Equal(QueueNames.Feedback, queue);
        Assert.Equal((feedback.Id, "feedback"), (message.MessageId, message.Subject));
        Assert.Equal(JsonSerializer.Serialize(feedback, JsonSerializerOptions.Web), message.Body);
        Assert.Equal(feedback, JsonSerializer.Deserialize<FeedbackEvent>(message.Body, ApplicationJson.Web));
    }

    [Theory]
    [InlineData("good_fit", 1.0)]
    [InlineData("overprovisioned", 1.0)]
    [InlineData("underpowered", 0.0)]
    [InlineData("failed", 0.0)]
    public async Task A_verdict_without_a_score_is_sent_as_its_score(string verdict, double score)
    {
        var requestId = await RoutedRequestAsync();

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, null, verdict, null, null, null, null), Token);

        Assert.Equal((score, verdict), (outcome.Value!.Score, outcome.Value.Verdict));
        var sent = JsonSerializer.Deserialize<FeedbackEvent>(Assert.Single(_rig.Sender.SentTo(QueueNames.Feedback)).Body, ApplicationJson.Web);
        Assert.Equal(score, sent!.Score);
    }

    [Fact]
    public async Task Two_submissions_of_the_same_feedback_are_two_events_with_distinct_ids()
    {
        var requestId = await RoutedRequestAsync();
        var request = new FeedbackRequest(requestId, 1, null, null, null, null, null);

        var first = await _rig.SubmitFeedback().SubmitAsync(request, Token);
        _rig.Time.Advance(TimeSpan.FromMilliseconds(5));
        var second = await _rig.SubmitFeedback().SubmitAsync(request, Token);

        Assert.NotEqual(first.Value!.Id, second.Value!.Id);
        Assert.Equal([first.Value.Id, second.Value.Id], _rig.Sender.SentTo(QueueNames.Feedback).Select(m => m.MessageId));
    }
}
