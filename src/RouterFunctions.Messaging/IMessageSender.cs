namespace RouterFunctions.Messaging;

/// <summary>Sends messages to a queue (Service Bus deployed, the in-process queue locally).</summary>
public interface IMessageSender
{
    Task SendAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);
}
