namespace RouterFunctions.Messaging;

/// <summary>One message as a consumer receives it.</summary>
/// <param name="Body">The message body (JSON text).</param>
/// <param name="MessageId">The idempotency key the sender set; the consumer's ledger is keyed by it.</param>
/// <param name="DeliveryCount">1 on the first delivery, rising with each retry; the consumer parks a message before the broker dead-letters it.</param>
public sealed record QueueDelivery(string Body, string MessageId, int DeliveryCount);
