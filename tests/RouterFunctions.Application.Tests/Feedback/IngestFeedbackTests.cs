using System.Text.Json;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;
using RouterFunctions.Messaging;

namespace RouterFunctions.Application.Tests.Feedback;

public sealed class IngestFeedbackTests : IDisposable
{
    private readonly UseCaseRig _rig = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    /// <summary>A request routed on <paramref name="profile"/> (its decision recorded), the profile then left loaded.</summary>
    private async Task<string> RoutedOnAsync(RoutingProfile? profile = null)
    {
        _rig.UseProfile(profile);
        return (await _rig.Routing().RouteAsync(_rig.Profiles.Current!, "a query", RoutingPolicy.Default, null, Token)).RequestId;
    }

    private QueueDelivery Delivery(string eventId, string requestId, double score = 1, int deliveryCount = 1) =>
        new(JsonSerializer.Serialize(new FeedbackEvent(eventId, requestId, score, null, null, null, null, "test", _rig.Time.GetUtcNow()), JsonSerializerOptions.Web), eventId, deliveryCount);

    private async Task<List<ParkedMessage>> ParkedAsync()
    {
        var parked = new List<ParkedMessage>();
        await foreach (var message in _rig.Parking.ListAsync(Token))
        {
            parked.Add(message);
        }

        return parked;
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("""{"id":"e1","score":1}""")]
    [InlineData("""{"id":"e1","requestId":"r1","score":1.5}""")]
    public async Task An_unreadable_message_is_parked_at_its_first_delivery(string body)
    {
        var result = await _rig.IngestFeedback().HandleAsync(new QueueDelivery(body, "m1", 1), Token);

        Assert.Equal(IngestResult.Parked, result);
        var parked = Assert.Single(await ParkedAsync());
        Assert.Equal((QueueNames.Feedback, "m1", body, 1, _rig.Time.GetUtcNow()), (parked.Queue, parked.MessageId, parked.Body, parked.DeliveryCount, parked.ParkedAt));
        Assert.StartsWith("unreadable: ", parked.Error, StringComparison.Ordinal);
        Assert.Empty(_rig.Sender.Sent);
    }

    [Fact]
    public async Task Feedback_whose_decision_is_missing_throws_for_redelivery_until_ParkAfterDeliveries_then_is_parked()
    {
        _rig.UseProfile();
        _rig.FeedbackOptions.ParkAfterDeliveries = 3;
        var ingest = _rig.IngestFeedback();

        var first = await Assert.ThrowsAsync<InvalidOperationException>(() => ingest.HandleAsync(Delivery("e1", "not-yet-stored", deliveryCount: 1), Token));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ingest.HandleAsync(Delivery("e1", "not-yet-stored", deliveryCount: 2), Token));
        var parkedBefore = await ParkedAsync();
        var last = await ingest.HandleAsync(Delivery("e1", "not-yet-stored", deliveryCount: 3), Token);

        Assert.Contains("not-yet-stored", first.Message, StringComparison.Ordinal);
        Assert.Empty(parkedBefore);
        Assert.Equal(IngestResult.Parked, last);
        var parked = Assert.Single(await ParkedAsync());
        Assert.Equal((3, first.Message), (parked.DeliveryCount, parked.Error));
    }

    [Fact]
    public async Task Feedback_whose_decision_is_missing_and_older_than_the_retention_is_parked_at_once_as_expired()
    {
        _rig.UseProfile();
        _rig.StorageOptions.DecisionRetentionDays = 2;
        var expired = RequestIds.New(_rig.Time.GetUtcNow().AddDays(-3));
        var recent = RequestIds.New(_rig.Time.GetUtcNow().AddDays(-1));

        var result = await _rig.IngestFeedback().HandleAsync(Delivery("e1", expired, deliveryCount: 1), Token);

        Assert.Equal(IngestResult.Parked, result);
        var parked = Assert.Single(await ParkedAsync());
        Assert.Equal(("e1", 1, "decision expired"), (parked.MessageId, parked.DeliveryCount, parked.Error));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _rig.IngestFeedback().HandleAsync(Delivery("e2", recent, deliveryCount: 1), Token));
    }

    [Fact]
    public async Task The_stored_event_carries_the_graded_model_the_routed_one_when_none_was_given()
    {
        var requestId = await RoutedOnAsync();
        var routed = (await _rig.Decisions.GetAsync(requestId, Token))!.Model;

        await _rig.IngestFeedback().HandleAsync(Delivery("e1", requestId), Token);

        var stored = Assert.Single(await _rig.Feedback.ListReceivedAsync(_rig.Time.GetUtcNow().AddHours(-1), _rig.Time.GetUtcNow(), Token).ToListAsync(Token));
        Assert.Equal(("e1", routed, _rig.Time.GetUtcNow()), (stored.Event.Id, stored.Event.Model, stored.StoredAt));
    }

    [Fact]
    public async Task Feedback_is_counted_once_and_its_redelivery_is_a_duplicate()
    {
        var profile = SampleProfiles.Small();
        var requestId = await RoutedOnAsync(profile);
        var ingest = _rig.IngestFeedback();

        var first = await ingest.HandleAsync(Delivery("e1", requestId), Token);
        var again = await ingest.HandleAsync(Delivery("e1", requestId, deliveryCount: 2), Token);

        Assert.Equal((IngestResult.Counted, IngestResult.Duplicate), (first, again));
        var cells = await _rig.Stats.ReadAsync(profile.Version, profile.Centroids.Count, profile.Models.Count, Token);
        var counted = cells.Values.SelectMany(c => c).Sum(c => c.Count);
        Assert.Equal(1, counted, 9);
        Assert.Empty(_rig.Sender.Sent);
    }

    [Fact]
    public async Task An_event_without_an_id_takes_the_message_id()
    {
        var requestId = await RoutedOnAsync();
        var body = JsonSerializer.Serialize(new { requestId, score = 0.5 }, JsonSerializerOptions.Web);

        var result = await _rig.IngestFeedback().HandleAsync(new QueueDelivery(body, "message-7", 1), Token);

        Assert.Equal(IngestResult.Counted, result);
        var stored = new List<FeedbackEvent>();
        await foreach (var e in _rig.Feedback.ListAsync(Token))
        {
            stored.Add(e);
        }

        Assert.Equal("message-7", Assert.Single(stored).Id);
    }

    [Fact]
    public async Task Feedback_on_a_decision_of_another_profile_version_is_stored_not_counted()
    {
        var requestId = await RoutedOnAsync(SampleProfiles.Small(version: 2));
        _rig.UseProfile(SampleProfiles.Small(version: 3));

        var result = await _rig.IngestFeedback().HandleAsync(Delivery("e1", requestId), Token);

        Assert.Equal(IngestResult.Stored, result);
        var stored = new List<FeedbackEvent>();
        await foreach (var e in _rig.Feedback.ListAsync(Token))
        {
            stored.Add(e);
        }

        Assert.Equal("e1", Assert.Single(stored).Id);
        Assert.Empty(await _rig.Stats.ReadAsync(2, 2, 2, Token));
        Assert.Empty(await _rig.Stats.ReadAsync(3, 2, 2, Token));
    }

    [Fact]
    public async Task Reaching_the_volume_threshold_requests_exactly_one_retrain()
    {
        _rig.FeedbackOptions.RetrainAfterEvents = 2;
        var requestId = await RoutedOnAsync(SampleProfiles.Small(version: 3));
        var ingest = _rig.IngestFeedback();

        var results = new List<IngestResult>();
        foreach (var eventId in new[] { "e1", "e2", "e2", "e3" })
        {
            results.Add(await ingest.HandleAsync(Delivery(eventId, requestId), Token));
        }

        Assert.Equal([IngestResult.Counted, IngestResult.CountedAndRetrainRequested, IngestResult.Duplicate, IngestResult.Counted], results);
        // e2's redelivery sends its request again under the same MessageId (the queue drops it if the first went out).
        Assert.Equal(2, _rig.Sender.Sent.Count);
        Assert.All(_rig.Sender.Sent, s => Assert.Equal((QueueNames.Retrain, "retrain-v3-e2", "retrain"), (s.Queue, s.Message.MessageId, s.Message.Subject)));
        Assert.Equal(new RetrainRequest("volume: 2 feedback events on profile v3", 3), JsonSerializer.Deserialize<RetrainRequest>(_rig.Sender.Sent[0].Message.Body, ApplicationJson.Web));
    }

    [Fact]
    public async Task A_claimed_retrain_whose_send_failed_is_sent_on_redelivery()
    {
        _rig.FeedbackOptions.RetrainAfterEvents = 1;
        var requestId = await RoutedOnAsync(SampleProfiles.Small(version: 3));
        var ingest = _rig.IngestFeedback();
        _rig.Sender.FailNext = 1;

        await Assert.ThrowsAsync<InvalidOperationException>(() => ingest.HandleAsync(Delivery("e1", requestId), Token));
        Assert.Empty(_rig.Sender.Sent);

        Assert.Equal(IngestResult.Duplicate, await ingest.HandleAsync(Delivery("e1", requestId), Token));
        Assert.Equal("retrain-v3-e1", Assert.Single(_rig.Sender.SentTo(QueueNames.Retrain)).MessageId);
    }
}
