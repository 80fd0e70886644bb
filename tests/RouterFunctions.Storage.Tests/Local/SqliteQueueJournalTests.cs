using Microsoft.Data.Sqlite;
using RouterFunctions.Messaging.Local;
using RouterFunctions.Storage.Local;

namespace RouterFunctions.Storage.Tests.Local;

/// <summary>The local queues over the database: what a restart (a new process on the same file) finds.</summary>
public sealed class SqliteQueueJournalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-queue-").FullName;
    private LocalDatabase _database;

    public SqliteQueueJournalTests() => _database = LocalDatabase.Open(_directory);

    public void Dispose()
    {
        _database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Messages_sent_and_never_delivered_come_back_after_a_restart_in_order_at_their_first_delivery()
    {
        var queue = NewQueue();
        queue.Send("one", "m1");
        queue.Send("two", "m2");

        var after = Restart();

        Assert.Equal(2, after.Pending);
        Assert.Equal([("m1", "one", 1), ("m2", "two", 1)], Unsettled().Select(m => (m.MessageId, m.Body, m.DeliveryCount)));
    }

    [Fact]
    public async Task A_message_being_delivered_when_the_process_died_comes_back_with_its_delivery_count_incremented()
    {
        var queue = NewQueue();
        queue.Send("body", "m1");
        queue.Retry(await ReceiveAsync(queue));
        var second = await ReceiveAsync(queue);

        Restart();

        var back = Assert.Single(Unsettled());
        Assert.Equal(("m1", 2, 3), (back.MessageId, second.DeliveryCount, back.DeliveryCount));
    }

    [Fact]
    public async Task Completed_messages_are_deleted()
    {
        var queue = NewQueue();
        foreach (var i in Enumerable.Range(0, 5))
        {
            queue.Send($"body {i}", $"m{i}");
        }

        foreach (var _ in Enumerable.Range(0, 5))
        {
            queue.Complete(await ReceiveAsync(queue));
        }

        Assert.Equal(0, queue.Pending);
        Restart();
        Assert.Empty(Unsettled());
        using var reader = _database.OpenReader();
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT count(*) FROM queue_messages";
        Assert.Equal(0L, command.ExecuteScalar());
    }

    [Fact]
    public async Task Dead_lettered_messages_are_kept_and_listed_after_a_restart_and_not_delivered_again()
    {
        var queue = NewQueue();
        queue.Send("poison", "m1");
        queue.DeadLetter(await ReceiveAsync(queue), "it failed");

        var after = Restart();

        var (message, error) = Assert.Single(after.DeadLetters);
        Assert.Equal(("m1", "poison", 1, "it failed"), (message.MessageId, message.Body, message.DeliveryCount, error));
        Assert.Equal(0, after.Pending);
    }

    [Fact]
    public void A_resend_of_a_recent_message_id_is_dropped_across_a_restart()
    {
        NewQueue().Send("first", "same");

        var after = Restart();
        after.Send("again", "same");
        after.Send("new", "other");

        Assert.Equal(["first", "new"], Unsettled().Select(m => m.Body));
    }

    [Fact]
    public void Queues_keep_their_messages_and_their_ids_apart()
    {
        var journal = new SqliteQueueJournal(_database);
        new InProcessQueue("a", journal).Send("for a", "same");
        new InProcessQueue("b", journal).Send("for b", "same");

        Assert.Equal(["for a"], journal.Unsettled("a").Select(m => m.Body));
        Assert.Equal(["for b"], journal.Unsettled("b").Select(m => m.Body));
    }

    [Fact]
    public void The_recent_id_window_is_trimmed_so_the_file_stays_bounded()
    {
        var journal = new SqliteQueueJournal(_database);
        var queue = new InProcessQueue("q", journal);
        for (var i = 0; i < InProcessQueue.DuplicateWindow + 2_000; i++)
        {
            queue.Send("x", $"m{i}");
        }

        using var reader = _database.OpenReader();
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT count(*) FROM queue_ids";
        var kept = (long)command.ExecuteScalar()!;
        Assert.InRange(kept, InProcessQueue.DuplicateWindow, InProcessQueue.DuplicateWindow + 1_000);
        queue.Send("y", $"m{InProcessQueue.DuplicateWindow + 1_999}");
        Assert.Equal(InProcessQueue.DuplicateWindow + 2_000, journal.Unsettled("q").Count);
    }

    private static async Task<LocalMessage> ReceiveAsync(InProcessQueue queue)
    {
        await using var messages = queue.ReceiveAllAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator();
        Assert.True(await messages.MoveNextAsync());
        return messages.Current;
    }

    private InProcessQueue NewQueue() => new("q", new SqliteQueueJournal(_database));

    private IReadOnlyList<LocalMessage> Unsettled() => new SqliteQueueJournal(_database).Unsettled("q");

    private InProcessQueue Restart()
    {
        _database.Dispose();
        _database = LocalDatabase.Open(_directory);
        return NewQueue();
    }
}
