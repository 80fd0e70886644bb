using System.Text.Json;

namespace RouterFunctions.Messaging;

/// <summary>One message to send: the body (JSON text), its idempotency key, and what it is.</summary>
/// <param name="Body">The message body as JSON text; it travels as UTF-8 bytes.</param>
/// <param name="MessageId">
/// The idempotency key. It becomes the broker's message id, so a queue with duplicate detection drops a resend of the
/// same message inside its window; the consumer's ledger is keyed by it too and stays the real guarantee.
/// </param>
/// <param name="Subject">What the message is (e.g. "feedback"), for routing and for reading a queue by eye.</param>
public sealed record OutgoingMessage(string Body, string MessageId, string Subject)
{
    /// <summary>Serializes <paramref name="value"/> with the System.Text.Json web defaults (camelCase, as the consumers read it).</summary>
    public static OutgoingMessage Json<T>(T value, string messageId, string subject) =>
        new(JsonSerializer.Serialize(value, JsonSerializerOptions.Web), messageId, subject);
}
