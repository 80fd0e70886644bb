using System.Text.Json.Serialization;

namespace RouterFunctions.Workers.Functions;

/// <summary>
/// What a consumer answers the host: log lines for the invocation log and a return value. Outputs stay empty: the
/// consumers send their follow-up messages through the Service Bus SDK (MessageId = idempotency key), not bindings.
/// Always a JSON object: the host base64-decodes bare strings.
/// </summary>
public sealed class FunctionResult
{
    [JsonPropertyName("Outputs")]
    public Dictionary<string, object?> Outputs { get; } = new(StringComparer.Ordinal);

    [JsonPropertyName("Logs")]
    public List<string> Logs { get; } = [];

    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; set; }
}
