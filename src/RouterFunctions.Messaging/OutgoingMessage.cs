using System.Text.Json;

namespace RouterFunctions.Messaging;

/// <summary>One message to send: the body (JSON text), its idempotency key, what it is.</summary>
public sealed record OutgoingMessage(string Body, string MessageId, string Subject)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static OutgoingMessage Json<T>(T value, string messageId, string subject) => new(JsonSerializer.Serialize(value, Web), messageId, subject);
}
