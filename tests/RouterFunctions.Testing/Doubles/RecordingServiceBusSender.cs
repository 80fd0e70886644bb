using Azure.Messaging.ServiceBus;

namespace RouterFunctions.Testing.Doubles;

/// <summary>
/// A <see cref="ServiceBusSender"/> that records each batch it is asked to send instead of talking AMQP. Its batches
/// come from <see cref="ServiceBusModelFactory"/>; <see cref="Accepts"/> decides what fits (given what the batch holds),
/// standing in for the broker's size limit.
/// </summary>
public sealed class RecordingServiceBusSender : ServiceBusSender
{
    private readonly Dictionary<ServiceBusMessageBatch, List<ServiceBusMessage>> _open = [];

    public RecordingServiceBusSender(string queue, Func<IReadOnlyList<ServiceBusMessage>, ServiceBusMessage, bool>? accepts = null)
    {
        Queue = queue;
        Accepts = accepts ?? ((_, _) => true);
    }

    /// <summary>The queue the client made it for (EntityPath is not virtual, so the double keeps its own).</summary>
    public string Queue { get; }

    public Func<IReadOnlyList<ServiceBusMessage>, ServiceBusMessage, bool> Accepts { get; }

    public long MaxSizeInBytes { get; init; } = 256 * 1024;

    /// <summary>Each send, in order, with the messages of its batch.</summary>
    public List<IReadOnlyList<ServiceBusMessage>> Sends { get; } = [];

    public int BatchesCreated { get; private set; }

    public List<CancellationToken> Tokens { get; } = [];

    public bool IsDisposed { get; private set; }

    /// <summary>Accepts at most <paramref name="count"/> messages per batch.</summary>
    public static Func<IReadOnlyList<ServiceBusMessage>, ServiceBusMessage, bool> PerBatch(int count) => (held, _) => held.Count < count;

    public override ValueTask<ServiceBusMessageBatch> CreateMessageBatchAsync(CancellationToken cancellationToken = default) =>
        CreateMessageBatchAsync(null!, cancellationToken);

    public override ValueTask<ServiceBusMessageBatch> CreateMessageBatchAsync(CreateMessageBatchOptions options, CancellationToken cancellationToken = default)
    {
        Tokens.Add(cancellationToken);
        var store = new List<ServiceBusMessage>();

        // The model batch reports the options' limit as its MaxSizeInBytes, as the broker's batch reports the link's.
        var limit = new CreateMessageBatchOptions { MaxSizeInBytes = options?.MaxSizeInBytes ?? MaxSizeInBytes };
        var batch = ServiceBusModelFactory.ServiceBusMessageBatch(MaxSizeInBytes, store, limit, message => Accepts(store, message));
        _open[batch] = store;
        BatchesCreated++;
        return new ValueTask<ServiceBusMessageBatch>(batch);
    }

    public override Task SendMessagesAsync(ServiceBusMessageBatch messageBatch, CancellationToken cancellationToken = default)
    {
        Tokens.Add(cancellationToken);
        if (!_open.Remove(messageBatch, out var store))
        {
            throw new InvalidOperationException("A batch this sender did not create, or one sent twice.");
        }

        Sends.Add([.. store]);
        return Task.CompletedTask;
    }

    // The adapter must batch: a send of loose messages would bypass the size check the batch does.
    public override Task SendMessagesAsync(IEnumerable<ServiceBusMessage> messages, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Loose messages sent; the adapter should send batches.");

    public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("A single message sent; the adapter should send batches.");

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2215", Justification = "The base would close an AMQP link this double never opened.")]
    public override ValueTask DisposeAsync()
    {
        IsDisposed = true;
        return ValueTask.CompletedTask;
    }

    public override Task CloseAsync(CancellationToken cancellationToken = default)
    {
        IsDisposed = true;
        return Task.CompletedTask;
    }
}
