namespace RouterFunctions.Messaging.Local;

/// <summary>
/// Where the local queues keep their messages: in memory (<see cref="MemoryQueueJournal"/>), or durably in the local
/// database (Storage's SqliteQueueJournal), which makes a send survive a crash and a delivery under way come back.
/// Every call returns once what it records is kept.
/// </summary>
public interface IQueueJournal
{
    /// <summary>
    /// Records a sent message, unless one with the same id was sent to <paramref name="queue"/> within the last
    /// <see cref="InProcessQueue.DuplicateWindow"/> ids (then it is dropped, as Service Bus does, and this returns null).
    /// </summary>
    LocalMessage? Add(string queue, string messageId, string body);

    /// <summary>A delivery begins with this count: a crash before it settles brings the message back with the next count.</summary>
    void Delivering(LocalMessage message);

    /// <summary>Handled: the message is gone.</summary>
    void Complete(LocalMessage message);

    /// <summary>Parked with the reason it failed, kept and listed by <see cref="DeadLetters"/>.</summary>
    void DeadLetter(LocalMessage message, string reason);

    /// <summary>Messages of <paramref name="queue"/> sent and not settled by an earlier process, oldest first, each with the count of its next delivery.</summary>
    IReadOnlyList<LocalMessage> Unsettled(string queue);

    IReadOnlyList<(LocalMessage Message, string Error)> DeadLetters(string queue);
}
