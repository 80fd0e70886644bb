using System.Collections.Concurrent;
using Azure.Core;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RouterFunctions.Messaging;

/// <summary>
/// <see cref="IMessageSender"/> over Azure Service Bus: each <see cref="OutgoingMessage"/> becomes a
/// <see cref="ServiceBusMessage"/> (UTF-8 JSON body, ContentType application/json, MessageId = the idempotency key,
/// Subject), sent in as few batches as the broker's size limit allows.
/// </summary>
/// <remarks>
/// MessageId matters because sends are at-least-once: a send that timed out may still have landed, and a caller that
/// retries after a partial failure resends messages already queued. With duplicate detection on the queue
/// (<c>requiresDuplicateDetection</c>), Service Bus drops a message whose id it has seen inside its window; outside the
/// window, or on a queue without it, the consumer's ledger (keyed by the same id) stays the guarantee.
/// </remarks>
public sealed partial class ServiceBusMessageSender : IMessageSender, IAsyncDisposable
{
    private const string JsonContentType = "application/json";

    private readonly ServiceBusClient _client;
    private readonly bool _ownsClient;
    private readonly ILogger _logger;

    // One sender per queue for the life of the app: a sender holds an AMQP link, and opening one per send would cost
    // a round trip each time. Lazy so that two first sends to a queue racing each other still create only one.
    private readonly ConcurrentDictionary<string, Lazy<ServiceBusSender>> _senders = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>Sends through <paramref name="client"/>, which stays the caller's to dispose.</summary>
    public ServiceBusMessageSender(ServiceBusClient client, ILogger<ServiceBusMessageSender>? logger = null)
        : this(client, ownsClient: false, logger)
    {
    }

    private ServiceBusMessageSender(ServiceBusClient client, bool ownsClient, ILogger<ServiceBusMessageSender>? logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _ownsClient = ownsClient;
        _logger = logger ?? NullLogger<ServiceBusMessageSender>.Instance;
    }

    /// <summary>The client it sends through (for tests of the factory).</summary>
    internal ServiceBusClient Client => _client;

    /// <summary>
    /// Makes the client from <paramref name="options"/> and owns it (disposing the sender disposes the client).
    /// <paramref name="credential"/> is used with <see cref="ServiceBusOptions.FullyQualifiedNamespace"/> and required
    /// there; a connection string carries its own key, so it may be null then.
    /// </summary>
    public static ServiceBusMessageSender Create(
        ServiceBusOptions options,
        TokenCredential? credential,
        ServiceBusClientOptions? clientOptions = null,
        ILogger<ServiceBusMessageSender>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new ServiceBusOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        clientOptions ??= new ServiceBusClientOptions();
        ServiceBusClient client;
        if (!string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace))
        {
            if (credential is null)
            {
                throw new ArgumentNullException(nameof(credential), $"Service Bus namespace '{options.FullyQualifiedNamespace}' is identity-based and needs a TokenCredential.");
            }

            client = new ServiceBusClient(options.FullyQualifiedNamespace, credential, clientOptions);
        }
        else
        {
            client = new ServiceBusClient(options.ConnectionString, clientOptions);
        }

        return new ServiceBusMessageSender(client, ownsClient: true, logger);
    }

    public async Task SendAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentNullException.ThrowIfNull(messages);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (messages.Count == 0)
        {
            return;
        }

        // Converted up front so that a message without an id fails before anything of the list is sent.
        var converted = new ServiceBusMessage[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            converted[i] = ToServiceBusMessage(messages[i]);
        }

        var sender = SenderFor(queue);
        var batches = 0;
        var batch = await sender.CreateMessageBatchAsync(cancellationToken);
        try
        {
            foreach (var message in converted)
            {
                if (batch.TryAddMessage(message))
                {
                    continue;
                }

                if (batch.Count == 0)
                {
                    throw new MessageTooLargeException(queue, message.MessageId, batch.MaxSizeInBytes);
                }

                // The batch is full: send it and start the next one with this message.
                await sender.SendMessagesAsync(batch, cancellationToken);
                batches++;
                batch.Dispose();
                batch = await sender.CreateMessageBatchAsync(cancellationToken);
                if (!batch.TryAddMessage(message))
                {
                    throw new MessageTooLargeException(queue, message.MessageId, batch.MaxSizeInBytes);
                }
            }

            await sender.SendMessagesAsync(batch, cancellationToken);
            batches++;
        }
        finally
        {
            batch.Dispose();
        }

        LogSent(_logger, converted.Length, queue, batches);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var sender in _senders.Values.Where(s => s.IsValueCreated))
        {
            await sender.Value.DisposeAsync();
        }

        _senders.Clear();
        if (_ownsClient)
        {
            await _client.DisposeAsync();
        }
    }

    internal static ServiceBusMessage ToServiceBusMessage(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(message.Body, nameof(message));

        // Without an id the broker cannot drop a resend, and the consumer's ledger has nothing to key on.
        if (string.IsNullOrWhiteSpace(message.MessageId))
        {
            throw new ArgumentException($"Every message needs a MessageId (its idempotency key); one with subject '{message.Subject}' has none.", nameof(message));
        }

        return new ServiceBusMessage(BinaryData.FromString(message.Body))
        {
            MessageId = message.MessageId,
            Subject = message.Subject,
            ContentType = JsonContentType,
        };
    }

    internal ServiceBusSender SenderFor(string queue) =>
        _senders.GetOrAdd(queue, q => new Lazy<ServiceBusSender>(() => _client.CreateSender(q), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent {Count} messages to queue {Queue} in {Batches} batches")]
    private static partial void LogSent(ILogger logger, int count, string queue, int batches);
}
