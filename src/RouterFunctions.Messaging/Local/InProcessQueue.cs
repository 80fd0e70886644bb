using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace RouterFunctions.Messaging.Local;

/// <summary>A message in a local queue, with the delivery count Service Bus would keep.</summary>
public sealed record LocalMessage(string MessageId, string Body, int DeliveryCount)
{
    public string Queue { get; init; } = "";

    /// <summary>Its place in its journal: names this send of the message (a message id may be sent again after the window).</summary>
    public long Sequence { get; init; }
}

/// <summary>
/// Local mode's stand-in for a Service Bus queue: at-least-once delivery, the delivery count rising on each retry,
/// dead-lettering at <see cref="MaxDeliveryCount"/> (which the consumer's own parking normally pre-empts), and
/// duplicate detection by message id over the last <see cref="DuplicateWindow"/> ids, as the deployed queues have.
/// Its <see cref="IQueueJournal"/> keeps the messages: with the durable one, <see cref="Send"/> returns once the
/// message is committed, and the messages an earlier process left unsettled are delivered again at start.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A message queue in the Service Bus sense, not a collection.")]
public sealed class InProcessQueue
{
    // Only what is waiting to be handled in this process; the journal is where messages are kept.
    private readonly Channel<LocalMessage> _channel = Channel.CreateUnbounded<LocalMessage>();
    private readonly IQueueJournal _journal;
    private int _inFlight;

    /// <summary>How many recent message ids a repeat is checked against.</summary>
    public const int DuplicateWindow = 10_000;

    public InProcessQueue(string name, IQueueJournal journal, int maxDeliveryCount = 10)
    {
        ArgumentNullException.ThrowIfNull(journal);
        Name = name;
        MaxDeliveryCount = maxDeliveryCount;
        _journal = journal;
        foreach (var message in journal.Unsettled(name))
        {
            Enqueue(message);
        }
    }

    /// <summary>A queue kept in memory only.</summary>
    public InProcessQueue(string name, int maxDeliveryCount = 10)
        : this(name, new MemoryQueueJournal(), maxDeliveryCount)
    {
    }

    public string Name { get; }

    public int MaxDeliveryCount { get; }

    /// <summary>Messages waiting or being handled: 0 means everything sent so far is settled.</summary>
    public int Pending => Volatile.Read(ref _inFlight);

    public IReadOnlyList<(LocalMessage Message, string Error)> DeadLetters => _journal.DeadLetters(Name);

    /// <summary>Enqueues the message once it is kept, unless one with the same id was sent recently (then it is dropped, as Service Bus does).</summary>
    public string Send(string body, string? messageId = null)
    {
        var id = messageId ?? Guid.NewGuid().ToString("N");
        if (_journal.Add(Name, id, body) is { } message)
        {
            Enqueue(message);
        }

        return id;
    }

    /// <summary>The messages to deliver, each recorded as under way (<see cref="IQueueJournal.Delivering"/>) as it is handed out.</summary>
    public async IAsyncEnumerable<LocalMessage> ReceiveAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in _channel.Reader.ReadAllAsync(cancellationToken))
        {
            _journal.Delivering(message);
            yield return message;
        }
    }

    public void Retry(LocalMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _channel.Writer.TryWrite(message with { DeliveryCount = message.DeliveryCount + 1 });
    }

    public void Complete(LocalMessage message)
    {
        _journal.Complete(message);
        Interlocked.Decrement(ref _inFlight);
    }

    public void DeadLetter(LocalMessage message, string error)
    {
        _journal.DeadLetter(message, error);
        Interlocked.Decrement(ref _inFlight);
    }

    private void Enqueue(LocalMessage message)
    {
        Interlocked.Increment(ref _inFlight);
        _channel.Writer.TryWrite(message);
    }
}
