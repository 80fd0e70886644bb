using Azure.Messaging.ServiceBus;

namespace RouterFunctions.Testing.Doubles;

/// <summary>A <see cref="ServiceBusClient"/> that hands out <see cref="RecordingServiceBusSender"/>s and records which queues it was asked for.</summary>
public sealed class RecordingServiceBusClient(Func<string, RecordingServiceBusSender>? senderFor = null) : ServiceBusClient
{
    private readonly Func<string, RecordingServiceBusSender> _senderFor = senderFor ?? (queue => new RecordingServiceBusSender(queue));

    /// <summary>Every CreateSender call, in order.</summary>
    public List<string> SendersCreated { get; } = [];

    /// <summary>The last sender made for each queue.</summary>
    public Dictionary<string, RecordingServiceBusSender> Senders { get; } = new(StringComparer.Ordinal);

    public bool IsDisposed { get; private set; }

    /// <summary>How long CreateSender takes, to widen the window in which concurrent first sends race.</summary>
    public TimeSpan CreateDelay { get; init; }

    public override ServiceBusSender CreateSender(string queueOrTopicName)
    {
        if (CreateDelay > TimeSpan.Zero)
        {
            Thread.Sleep(CreateDelay);
        }

        lock (SendersCreated)
        {
            SendersCreated.Add(queueOrTopicName);
            var sender = _senderFor(queueOrTopicName);
            Senders[queueOrTopicName] = sender;
            return sender;
        }
    }

    public override ServiceBusSender CreateSender(string queueOrTopicName, ServiceBusSenderOptions options) =>
        throw new NotSupportedException("The adapter uses CreateSender(queue).");

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2215", Justification = "The base would close an AMQP connection this double never opened.")]
    public override ValueTask DisposeAsync()
    {
        IsDisposed = true;
        return ValueTask.CompletedTask;
    }
}
