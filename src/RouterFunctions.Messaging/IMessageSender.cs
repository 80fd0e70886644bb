namespace RouterFunctions.Messaging;

/// <summary>The port to the queues: what the application sends, without knowing which broker carries it.</summary>
public interface IMessageSender
{
    /// <summary>
    /// Sends <paramref name="messages"/> to <paramref name="queue"/>, in order. Not atomic: if it throws, some messages
    /// may already be on the queue, so the caller resends the whole list and relies on the message ids to drop repeats.
    /// </summary>
    Task SendAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);
}
