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
        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, score, verdict, null, null, null, null), null, Token);

        Assert.False(outcome.Succeeded);
        Assert.Equal((ErrorKind.Invalid, field), (outcome.Error.Kind, outcome.Error.Field));
        Assert.Empty(_rig.Sender.Sent);
    }

    [Fact]
    public async Task Feedback_on_an_unknown_requestId_is_not_found_and_nothing_is_sent()
    {
        await RoutedRequestAsync();

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest("no-such-request", 1, null, null, null, null, null), null, Token);

        Assert.False(outcome.Succeeded);
        Assert.Equal(ErrorKind.NotFound, outcome.Error.Kind);
        Assert.Contains("no-such-request", outcome.Error.Detail, StringComparison.Ordinal);
        Assert.Empty(_rig.Sender.Sent);
    }

    [Fact]
    public async Task Accepted_feedback_is_one_message_on_the_feedback_queue_keyed_by_the_event_id()
    {
        var requestId = await RoutedRequestAsync();

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, 0.8, null, "dear", 0.002, 850, "eval"), null, Token);

        Assert.True(outcome.Succeeded);
        Assert.False(outcome.Value.Resent);
        var feedback = outcome.Value.Event;
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

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, null, verdict, null, null, null, null), null, Token);

        Assert.Equal((score, verdict), (outcome.Value!.Event.Score, outcome.Value.Event.Verdict));
        var sent = JsonSerializer.Deserialize<FeedbackEvent>(Assert.Single(_rig.Sender.SentTo(QueueNames.Feedback)).Body, ApplicationJson.Web);
        Assert.Equal(score, sent!.Score);
    }

    [Fact]
    public async Task A_resend_of_the_same_body_is_the_same_event_sent_again_with_its_first_receipt_time()
    {
        var requestId = await RoutedRequestAsync();
        var request = new FeedbackRequest(requestId, 1, null, null, null, null, null);
        var firstAt = _rig.Time.GetUtcNow();

        var first = await _rig.SubmitFeedback().SubmitAsync(request, null, Token);
        _rig.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await _rig.SubmitFeedback().SubmitAsync(request, null, Token);

        Assert.Equal((false, true), (first.Value!.Resent, second.Value!.Resent));
        Assert.Equal(first.Value.Event, second.Value.Event);
        Assert.Equal(firstAt, second.Value.Event.ReceivedAt);
        var sent = _rig.Sender.SentTo(QueueNames.Feedback);
        Assert.Equal([first.Value.Event.Id, first.Value.Event.Id], sent.Select(m => m.MessageId));
        Assert.Equal(sent[0].Body, sent[1].Body);
        Assert.Equal(1, await _rig.FeedbackKeys.ResendsAsync(firstAt, _rig.Time.GetUtcNow(), Token));
    }

    [Fact]
    public async Task The_natural_key_is_requestId_model_and_source_so_naming_the_routed_model_is_the_same_event()
    {
        var requestId = await RoutedRequestAsync();
        var routed = (await _rig.Decisions.GetAsync(requestId, Token))!.Model;

        var omitted = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, 1, null, null, null, null, "ui"), null, Token);
        var named = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, 1, null, routed, null, null, "ui"), null, Token);
        var otherSource = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, 1, null, null, null, null, "eval"), null, Token);
        var otherModel = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, 1, null, routed == "dear" ? "cheap" : "dear", null, null, "ui"), null, Token);

        Assert.Equal(omitted.Value!.Event.Id, named.Value!.Event.Id);
        Assert.True(named.Value.Resent);
        Assert.Equal(3, new[] { omitted, otherSource, otherModel }.Select(o => o.Value!.Event.Id).Distinct().Count());
    }

    [Fact]
    public async Task Client_keys_make_distinct_events_of_the_same_body_and_a_key_in_both_header_and_id_must_agree()
    {
        var requestId = await RoutedRequestAsync();
        var request = new FeedbackRequest(requestId, 1, null, null, null, null, null);

        var a = await _rig.SubmitFeedback().SubmitAsync(request, "key-a", Token);
        var b = await _rig.SubmitFeedback().SubmitAsync(request with { Id = "key-b" }, null, Token);
        var bothA = await _rig.SubmitFeedback().SubmitAsync(request with { Id = "key-a" }, "key-a", Token);

        Assert.NotEqual(a.Value!.Event.Id, b.Value!.Event.Id);
        Assert.Equal(a.Value.Event.Id, bothA.Value!.Event.Id);
        Assert.True(bothA.Value.Resent);
        Assert.Equal(FeedbackKeys.ForClientKey(requestId, "key-a"), a.Value.Event.Id);
    }

    [Theory]
    [InlineData("key-1", "key-2", "id")]
    [InlineData(null, "has space", "Idempotency-Key")]
    [InlineData("new\nline", null, "id")]
    [InlineData("", null, "id")]
    public async Task A_bad_or_contradicting_key_is_invalid_names_its_field_and_sends_nothing(string? id, string? header, string field)
    {
        var requestId = await RoutedRequestAsync();

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, 1, null, null, null, null, null, id), header, Token);

        Assert.Equal((ErrorKind.Invalid, field), (outcome.Error?.Kind, outcome.Error?.Field));
        Assert.Empty(_rig.Sender.Sent);
    }

    [Fact]
    public async Task A_key_longer_than_128_characters_is_invalid()
    {
        var requestId = await RoutedRequestAsync();

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, 1, null, null, null, null, null), new string('k', 129), Token);
        var longest = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, 1, null, null, null, null, null), new string('k', 128), Token);

        Assert.Equal(("Idempotency-Key", true), (outcome.Error?.Field, longest.Succeeded));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("key-1")]
    public async Task The_same_key_with_another_body_is_a_conflict_and_sends_nothing_more(string? key)
    {
        var requestId = await RoutedRequestAsync();
        await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, 1, null, null, null, null, "ui"), key, Token);

        var changed = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(requestId, 0, null, null, null, null, "ui"), key, Token);

        Assert.Equal(ErrorKind.Conflict, changed.Error?.Kind);
        Assert.Contains(requestId, changed.Error!.Detail, StringComparison.Ordinal);
        Assert.Single(_rig.Sender.SentTo(QueueNames.Feedback));
    }

    [Fact]
    public async Task Feedback_on_a_requestId_older_than_the_retention_is_gone_and_says_after_how_many_days()
    {
        _rig.UseProfile();
        _rig.StorageOptions.DecisionRetentionDays = 7;
        var expired = RequestIds.New(_rig.Time.GetUtcNow().AddDays(-7.5));

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(expired, 1, null, null, null, null, null), null, Token);

        Assert.Equal(ErrorKind.Gone, outcome.Error?.Kind);
        Assert.Contains("7 days", outcome.Error!.Detail, StringComparison.Ordinal);
        Assert.Empty(_rig.Sender.Sent);
    }

    [Fact]
    public async Task Feedback_on_a_requestId_made_moments_ago_is_accepted_while_its_decision_is_on_its_way()
    {
        _rig.UseProfile();
        var pending = RequestIds.New(_rig.Time.GetUtcNow().AddSeconds(-5));

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(pending, 1, null, null, null, null, null), null, Token);

        Assert.True(outcome.Succeeded);
        Assert.Equal(outcome.Value.Event.Id, Assert.Single(_rig.Sender.SentTo(QueueNames.Feedback)).MessageId);
    }

    [Theory]
    [InlineData(-60.0)]
    [InlineData(-86_400.0)]
    [InlineData(3_600.0)]
    public async Task A_v7_requestId_without_a_decision_past_the_pending_window_and_within_retention_is_not_found(double ageSeconds)
    {
        _rig.UseProfile();
        var unknown = RequestIds.New(_rig.Time.GetUtcNow().AddSeconds(ageSeconds));

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(unknown, 1, null, null, null, null, null), null, Token);

        Assert.Equal(ErrorKind.NotFound, outcome.Error?.Kind);
        Assert.Empty(_rig.Sender.Sent);
    }

    [Fact]
    public async Task A_forged_requestId_that_is_not_v7_is_not_found_however_fresh()
    {
        _rig.UseProfile();
        var forged = Guid.NewGuid().ToString("N");

        var outcome = await _rig.SubmitFeedback().SubmitAsync(new FeedbackRequest(forged, 1, null, null, null, null, null), null, Token);

        Assert.Equal(ErrorKind.NotFound, outcome.Error?.Kind);
    }
}
