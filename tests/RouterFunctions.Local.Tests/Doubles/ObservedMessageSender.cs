using RouterFunctions.Messaging;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Local.Tests.Doubles;

/// <summary>
/// The local sender with a record of what went through it: the dispatcher consumes the in-process queues at once, so
/// this is where a test sees the messages themselves (what a host's output bindings used to show).
/// </summary>
public sealed class ObservedMessageSender(LocalQueues queues) : IMessageSender
{
    private readonly LocalMessageSender _inner = new(queues);
    private readonly List<(string Queue, OutgoingMessage Message)> _sent = [];

    public IReadOnlyList<OutgoingMessage> SentTo(string queue)
    {
        lock (_sent)
        {
            return [.. _sent.Where(s => s.Queue == queue).Select(s => s.Message)];
        }
    }

    public Task SendAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (_sent)
        {
            _sent.AddRange(messages.Select(m => (queue, m)));
        }

        return _inner.SendAsync(queue, messages, cancellationToken);
    }
}
