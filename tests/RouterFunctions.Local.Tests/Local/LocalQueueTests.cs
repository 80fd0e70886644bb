using System.Text.Json;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Local.Tests.Local;

/// <summary>The in-process queues behave as Service Bus does for the consumers: the body and message id handed over, redelivery, parking.</summary>
[Collection(AppCollection.Name)]
public sealed class LocalQueueTests(RouterAppFixture fixture)
{
    [Fact]
    public async Task A_local_delivery_hands_the_consumer_the_body_and_the_message_id()
    {
        await using var app = await TestApp.StartAsync(fixture, new() { ["Feedback:DriftMinCount"] = "1000000" });
        var queues = app.Get<LocalQueues>();
        var routed = await app.RouteAsync(ArcQuestions.Take(1, skip: 6)[0]);
        // No id in the body: the consumer takes the message id, so the stored event shows which one it was handed.
        var body = JsonSerializer.Serialize(new { requestId = routed.RequestId, score = 0.5, receivedAt = DateTimeOffset.UtcNow });

        queues.Feedback.Send(body, "m-local-1");
        await TestApp.EventuallyAsync(() => Task.FromResult(queues.Feedback.Pending == 0), "the message to settle");

        var stored = Assert.Single(await app.StoredFeedbackAsync());
        Assert.Equal(("m-local-1", routed.RequestId, 0.5), (stored.Id, stored.RequestId, stored.Score));
        Assert.Equal(1, await app.CountAsync(routed.Model), 9);
    }

    [Fact]
    public async Task A_failing_message_comes_back_with_a_rising_delivery_count_until_it_is_parked()
    {
        await using var app = await TestApp.StartAsync(fixture, new() { ["Feedback:ParkAfterDeliveries"] = "3" });
        var queues = app.Get<LocalQueues>();
        var body = JsonSerializer.Serialize(new { id = "e-lost", requestId = "never-routed", score = 1 });

        var messageId = queues.Feedback.Send(body);
        await TestApp.EventuallyAsync(() => Task.FromResult(queues.Feedback.Pending == 0), "the message to settle");

        var parked = Assert.Single(await app.ParkedAsync());
        Assert.Equal((messageId, 3, body), (parked.MessageId, parked.DeliveryCount, parked.Body));
        Assert.Contains("never-routed", parked.Error, StringComparison.Ordinal);
        Assert.Empty(queues.Feedback.DeadLetters);
        Assert.Empty(await app.StoredFeedbackAsync());
    }

    [Fact]
    public async Task A_message_enqueued_twice_is_counted_once()
    {
        await using var app = await TestApp.StartAsync(fixture, new() { ["Feedback:DriftMinCount"] = "1000000" });
        var queues = app.Get<LocalQueues>();
        var routed = await app.RouteAsync(ArcQuestions.Take(1, skip: 5)[0]);
        var body = JsonSerializer.Serialize(new { id = "e-twice", requestId = routed.RequestId, score = 0, receivedAt = DateTimeOffset.UtcNow });

        queues.Feedback.Send(body, "m-1");
        queues.Feedback.Send(body, "m-1");
        await TestApp.EventuallyAsync(() => Task.FromResult(queues.Feedback.Pending == 0), "both deliveries to settle");

        Assert.Single(await app.StoredFeedbackAsync());
        Assert.Equal(1, await app.CountAsync(routed.Model), 9);
    }
}
