using System.Text.Json;
using RouterFunctions.Local.Functions;
using RouterFunctions.Local.Local;

namespace RouterFunctions.Local.Tests.Local;

/// <summary>The in-process queues behave as Service Bus does for the handler: same payload, redelivery, parking.</summary>
[Collection(AppCollection.Name)]
public sealed class LocalQueueTests(RouterAppFixture fixture)
{
    [Fact]
    public void A_local_delivery_has_the_hosts_payload_shape()
    {
        const string body = """{"id":"e-1","requestId":"r-1","score":1}""";

        var payload = QueueDispatcher.Payload(new LocalMessage("m-1", body, 2), "msg");

        Assert.Equal(body, payload.GetProperty("Data").GetProperty("msg").GetString());
        Assert.Equal("\"m-1\"", payload.GetProperty("Metadata").GetProperty("MessageId").GetString());
        Assert.Equal("2", payload.GetProperty("Metadata").GetProperty("DeliveryCount").GetString());
        Assert.Equal(new QueueDelivery(body, "m-1", 2), Assert.Single(HostPayload.ServiceBus(payload, "msg")));
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
