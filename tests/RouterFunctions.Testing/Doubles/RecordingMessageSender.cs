using RouterFunctions.Messaging;

namespace RouterFunctions.Testing.Doubles;

/// <summary>An <see cref="IMessageSender"/> that keeps what it was given, in order; <see cref="FailNext"/> makes sends throw.</summary>
public sealed class RecordingMessageSender : IMessageSender
{
    private readonly List<(string Queue, OutgoingMessage Message)> _sent = [];

    /// <summary>Sends to fail before anything is recorded (a Service Bus outage).</summary>
    public int FailNext { get; set; }

    public IReadOnlyList<(string Queue, OutgoingMessage Message)> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public IReadOnlyList<OutgoingMessage> SentTo(string queue) => [.. Sent.Where(s => s.Queue == queue).Select(s => s.Message)];

    public Task SendAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sent)
        {
            if (FailNext > 0)
            {
                FailNext--;
                throw new InvalidOperationException($"send to '{queue}' failed (test)");
            }

            _sent.AddRange(messages.Select(m => (queue, m)));
        }

        return Task.CompletedTask;
    }
}
