using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Messaging.Tests;

/// <summary>The in-memory local queue (tests, in-memory local mode): the same duplicate window and dead letters as the durable one.</summary>
public sealed class MemoryQueueJournalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_recent_message_id_is_dropped_and_one_older_than_the_window_is_sent_again()
    {
        var queue = new InProcessQueue("q");
        queue.Send("first", "m0");
        queue.Send("repeat", "m0");
        Assert.Equal(1, queue.Pending);

        for (var i = 1; i <= InProcessQueue.DuplicateWindow; i++)
        {
            queue.Send("x", $"m{i}");
        }

        queue.Send("after the window", "m0");

        Assert.Equal(InProcessQueue.DuplicateWindow + 2, queue.Pending);
    }

    [Fact]
    public async Task Messages_are_delivered_in_order_and_settle_on_complete_or_dead_letter()
    {
        var journal = new MemoryQueueJournal();
        var queue = new InProcessQueue("q", journal);
        var other = new InProcessQueue("other", journal);
        queue.Send("a", "m1");
        queue.Send("b", "m2");
        other.Send("c", "m1");

        await using var deliveries = queue.ReceiveAllAsync(Ct).GetAsyncEnumerator();
        Assert.True(await deliveries.MoveNextAsync());
        var first = deliveries.Current;
        queue.Complete(first);
        Assert.True(await deliveries.MoveNextAsync());
        queue.DeadLetter(deliveries.Current, "broken");

        Assert.Equal(("m1", "a", 1), (first.MessageId, first.Body, first.DeliveryCount));
        Assert.Equal(0, queue.Pending);
        var (message, error) = Assert.Single(queue.DeadLetters);
        Assert.Equal(("m2", "broken"), (message.MessageId, error));
        Assert.Empty(other.DeadLetters);
        Assert.Equal(1, other.Pending);
        Assert.Empty(journal.Unsettled("q"));
    }
}
