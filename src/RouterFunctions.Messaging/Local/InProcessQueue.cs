using System.Threading.Channels;

namespace RouterFunctions.Messaging.Local;

/// <summary>A message in an in-process queue, with the delivery count Service Bus would keep.</summary>
public sealed record LocalMessage(string MessageId, string Body, int DeliveryCount);

/// <summary>
/// Local mode's stand-in for a Service Bus queue: at-least-once delivery, the delivery count rising on each retry,
/// dead-lettering at <see cref="MaxDeliveryCount"/> (which the consumer's own parking normally pre-empts), and
/// duplicate detection by message id over the last <see cref="DuplicateWindow"/> ids, as the deployed queues have.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A message queue in the Service Bus sense, not a collection.")]
public sealed class InProcessQueue(string name, int maxDeliveryCount = 10)
{
    private readonly Channel<LocalMessage> _channel = Channel.CreateUnbounded<LocalMessage>();
    private readonly List<(LocalMessage Message, string Error)> _deadLetters = [];
    private readonly HashSet<string> _recentIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private int _inFlight;

    /// <summary>How many recent message ids a repeat is checked against.</summary>
    public const int DuplicateWindow = 10_000;

    public string Name { get; } = name;

    public int MaxDeliveryCount { get; } = maxDeliveryCount;

    /// <summary>Messages waiting or being handled: 0 means everything sent so far is settled.</summary>
    public int Pending => Volatile.Read(ref _inFlight);

    public IReadOnlyList<(LocalMessage Message, string Error)> DeadLetters
    {
        get
        {
            lock (_deadLetters)
            {
                return [.. _deadLetters];
            }
        }
    }

    public ChannelReader<LocalMessage> Reader => _channel.Reader;

    /// <summary>Enqueues the message, unless one with the same id was sent recently (then it is dropped, as Service Bus does).</summary>
    public string Send(string body, string? messageId = null)
    {
        var message = new LocalMessage(messageId ?? Guid.NewGuid().ToString("N"), body, 1);
        lock (_recentIds)
        {
            if (!_recentIds.Add(message.MessageId))
            {
                return message.MessageId;
            }

            _recentOrder.Enqueue(message.MessageId);
            if (_recentOrder.Count > DuplicateWindow)
            {
                _recentIds.Remove(_recentOrder.Dequeue());
            }
        }

        Interlocked.Increment(ref _inFlight);
        _channel.Writer.TryWrite(message);
        return message.MessageId;
    }

    public void Retry(LocalMessage message) => _channel.Writer.TryWrite(message with { DeliveryCount = message.DeliveryCount + 1 });

    public void Complete() => Interlocked.Decrement(ref _inFlight);

    public void DeadLetter(LocalMessage message, string error)
    {
        lock (_deadLetters)
        {
            _deadLetters.Add((message, error));
        }

        Complete();
    }
}
