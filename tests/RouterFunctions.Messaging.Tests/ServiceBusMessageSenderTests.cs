using System.Text;
using RouterFunctions.Testing.Doubles;

namespace RouterFunctions.Messaging.Tests;

public sealed class ServiceBusMessageSenderTests
{
    private static OutgoingMessage Message(int i) => new($$"""{"n":{{i}}}""", $"id-{i}", "test");

    private static OutgoingMessage[] Messages(int count) => [.. Enumerable.Range(1, count).Select(Message)];

    [Fact]
    public async Task Each_message_becomes_a_service_bus_message_with_utf8_json_body_id_subject_and_content_type()
    {
        var client = new RecordingServiceBusClient();
        await using var sender = new ServiceBusMessageSender(client);
        const string body = """{"query":"café ☕ 日本語","score":0.5}""";

        await sender.SendAsync(QueueNames.Feedback, [new OutgoingMessage(body, "fb-42", "feedback")], TestContext.Current.CancellationToken);

        var sent = Assert.Single(Assert.Single(client.Senders[QueueNames.Feedback].Sends));
        Assert.Equal(Encoding.UTF8.GetBytes(body), sent.Body.ToArray());
        Assert.Equal("fb-42", sent.MessageId);
        Assert.Equal("feedback", sent.Subject);
        Assert.Equal("application/json", sent.ContentType);
    }

    [Fact]
    public async Task Messages_go_to_the_sender_of_the_queue_named()
    {
        var client = new RecordingServiceBusClient();
        await using var sender = new ServiceBusMessageSender(client);

        await sender.SendAsync(QueueNames.Retrain, [Message(1)], TestContext.Current.CancellationToken);

        Assert.Equal([QueueNames.Retrain], client.SendersCreated);
        Assert.Equal(QueueNames.Retrain, client.Senders[QueueNames.Retrain].Queue);
        Assert.Equal("id-1", Assert.Single(Assert.Single(client.Senders[QueueNames.Retrain].Sends)).MessageId);
    }

    [Fact]
    public async Task Messages_that_fit_one_batch_are_sent_in_one_call()
    {
        var client = new RecordingServiceBusClient();
        await using var sender = new ServiceBusMessageSender(client);

        await sender.SendAsync(QueueNames.AggregateCalls, Messages(4), TestContext.Current.CancellationToken);

        var send = Assert.Single(client.Senders[QueueNames.AggregateCalls].Sends);
        Assert.Equal(["id-1", "id-2", "id-3", "id-4"], send.Select(m => m.MessageId));
    }

    [Fact]
    public async Task A_full_batch_is_sent_and_a_new_one_started_keeping_order_without_loss_or_duplicates()
    {
        var recording = new RecordingServiceBusSender(QueueNames.AggregateCalls, RecordingServiceBusSender.PerBatch(2));
        var client = new RecordingServiceBusClient(_ => recording);
        await using var sender = new ServiceBusMessageSender(client);

        await sender.SendAsync(QueueNames.AggregateCalls, Messages(5), TestContext.Current.CancellationToken);

        Assert.Equal(
            [["id-1", "id-2"], ["id-3", "id-4"], ["id-5"]],
            recording.Sends.Select(batch => batch.Select(m => m.MessageId).ToArray()).ToArray());
        Assert.Equal(3, recording.BatchesCreated);
    }

    [Fact]
    public async Task A_message_too_large_for_an_empty_batch_fails_naming_the_message_and_queue()
    {
        var recording = new RecordingServiceBusSender(QueueNames.Feedback, (_, m) => m.Body.ToMemory().Length <= 100) { MaxSizeInBytes = 100 };
        var client = new RecordingServiceBusClient(_ => recording);
        await using var sender = new ServiceBusMessageSender(client);
        var huge = new OutgoingMessage($"\"{new string('x', 200)}\"", "huge-1", "feedback");

        var e = await Assert.ThrowsAsync<MessageTooLargeException>(
            () => sender.SendAsync(QueueNames.Feedback, [huge], TestContext.Current.CancellationToken));

        Assert.Contains("huge-1", e.Message, StringComparison.Ordinal);
        Assert.Contains(QueueNames.Feedback, e.Message, StringComparison.Ordinal);
        Assert.Equal("huge-1", e.MessageId);
        Assert.Equal(QueueNames.Feedback, e.Queue);
        Assert.Equal(100, e.MaxSizeInBytes);
        Assert.Empty(recording.Sends);
    }

    [Fact]
    public async Task A_too_large_message_after_a_full_batch_fails_once_the_earlier_batch_is_sent()
    {
        // Not atomic, as IMessageSender says: the caller resends the list and the message ids drop the repeats.
        var recording = new RecordingServiceBusSender(
            QueueNames.Feedback, (held, m) => held.Count < 2 && m.MessageId != "huge");
        var client = new RecordingServiceBusClient(_ => recording);
        await using var sender = new ServiceBusMessageSender(client);

        var e = await Assert.ThrowsAsync<MessageTooLargeException>(() => sender.SendAsync(
            QueueNames.Feedback, [Message(1), Message(2), new OutgoingMessage("{}", "huge", "test"), Message(4)], TestContext.Current.CancellationToken));

        Assert.Equal("huge", e.MessageId);
        Assert.Equal([["id-1", "id-2"]], recording.Sends.Select(batch => batch.Select(m => m.MessageId).ToArray()).ToArray());
    }

    [Fact]
    public async Task An_empty_list_sends_nothing_and_opens_no_sender()
    {
        var client = new RecordingServiceBusClient();
        await using var sender = new ServiceBusMessageSender(client);

        await sender.SendAsync(QueueNames.Feedback, [], TestContext.Current.CancellationToken);

        Assert.Empty(client.SendersCreated);
    }

    [Fact]
    public async Task One_sender_is_created_per_queue_and_reused()
    {
        var client = new RecordingServiceBusClient();
        await using var sender = new ServiceBusMessageSender(client);
        var ct = TestContext.Current.CancellationToken;

        await sender.SendAsync(QueueNames.Feedback, [Message(1)], ct);
        await sender.SendAsync(QueueNames.Retrain, [Message(2)], ct);
        await sender.SendAsync(QueueNames.Feedback, [Message(3)], ct);
        await sender.SendAsync(QueueNames.Feedback, [Message(4)], ct);

        Assert.Equal([QueueNames.Feedback, QueueNames.Retrain], client.SendersCreated);
        Assert.Equal(3, client.Senders[QueueNames.Feedback].Sends.Count);
    }

    [Fact]
    public async Task Concurrent_first_sends_to_a_queue_create_one_sender()
    {
        var client = new RecordingServiceBusClient { CreateDelay = TimeSpan.FromMilliseconds(100) };
        await using var sender = new ServiceBusMessageSender(client);

        // Only the sender lookup is raced: the recording double itself is not thread-safe.
        using var start = new ManualResetEventSlim();
        var threads = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            return sender.SenderFor(QueueNames.Feedback);
        }, TestContext.Current.CancellationToken)).ToArray();
        start.Set();
        var senders = await Task.WhenAll(threads);

        Assert.Single(client.SendersCreated);
        Assert.All(senders, s => Assert.Same(senders[0], s));
    }

    [Fact]
    public async Task The_callers_cancellation_token_reaches_every_broker_call()
    {
        var recording = new RecordingServiceBusSender(QueueNames.Feedback, RecordingServiceBusSender.PerBatch(1));
        var client = new RecordingServiceBusClient(_ => recording);
        await using var sender = new ServiceBusMessageSender(client);
        using var cts = new CancellationTokenSource();

        await sender.SendAsync(QueueNames.Feedback, Messages(2), cts.Token);

        Assert.Equal(4, recording.Tokens.Count);
        Assert.All(recording.Tokens, t => Assert.Equal(cts.Token, t));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task A_message_without_an_id_is_refused_before_anything_is_sent(string id)
    {
        var client = new RecordingServiceBusClient();
        await using var sender = new ServiceBusMessageSender(client);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => sender.SendAsync(
            QueueNames.Feedback, [Message(1), new OutgoingMessage("{}", id, "feedback")], TestContext.Current.CancellationToken));

        Assert.Contains("MessageId", e.Message, StringComparison.Ordinal);
        Assert.Empty(client.SendersCreated);
    }

    [Fact]
    public async Task Disposing_disposes_the_senders_but_not_a_client_it_was_given()
    {
        var client = new RecordingServiceBusClient();
        var sender = new ServiceBusMessageSender(client);
        await sender.SendAsync(QueueNames.Feedback, [Message(1)], TestContext.Current.CancellationToken);

        await sender.DisposeAsync();

        Assert.True(client.Senders[QueueNames.Feedback].IsDisposed);
        Assert.False(client.IsDisposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => sender.SendAsync(QueueNames.Feedback, [Message(2)], TestContext.Current.CancellationToken));
    }
}
