namespace RouterFunctions.Messaging.Local;

/// <summary>The queues' journal in memory (in-memory local mode and tests): nothing survives the process.</summary>
public sealed class MemoryQueueJournal : IQueueJournal
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (HashSet<string> Ids, Queue<string> Order)> _recent = new(StringComparer.Ordinal);
    private readonly List<(string Queue, LocalMessage Message, string Error)> _deadLetters = [];
    private long _sequence;

    public LocalMessage? Add(string queue, string messageId, string body)
    {
        lock (_gate)
        {
            if (!_recent.TryGetValue(queue, out var recent))
            {
                _recent[queue] = recent = (new HashSet<string>(StringComparer.Ordinal), new Queue<string>());
            }

            if (!recent.Ids.Add(messageId))
            {
                return null;
            }

            recent.Order.Enqueue(messageId);
            if (recent.Order.Count > InProcessQueue.DuplicateWindow)
            {
                recent.Ids.Remove(recent.Order.Dequeue());
            }

            return new LocalMessage(messageId, body, 1) { Queue = queue, Sequence = ++_sequence };
        }
    }

    public void Delivering(LocalMessage message)
    {
    }

    public void Complete(LocalMessage message)
    {
    }

    public void DeadLetter(LocalMessage message, string reason)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            _deadLetters.Add((message.Queue, message, reason));
        }
    }

    public IReadOnlyList<LocalMessage> Unsettled(string queue) => [];

    public IReadOnlyList<(LocalMessage Message, string Error)> DeadLetters(string queue)
    {
        lock (_gate)
        {
            return [.. _deadLetters.Where(d => d.Queue == queue).Select(d => (d.Message, d.Error))];
        }
    }
}
