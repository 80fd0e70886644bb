using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RouterFunctions.Workers.Tests.Functions;

/// <summary>How the host hands a message body to the handler (docs/custom-handler.md, "Quirks").</summary>
public enum BodyEncoding
{
    /// <summary>A JSON string holding the JSON text: "{\"requestId\":…}".</summary>
    JsonString,

    /// <summary>That string encoded once more: "\"{\\\"requestId\\\":…}\"".</summary>
    DoubleEncoded,

    /// <summary>Base64 of the UTF-8 bytes (dataType "binary").</summary>
    Base64,

    /// <summary>The JSON object itself.</summary>
    RawObject,
}

/// <summary>
/// The Functions host's invocation payloads for a custom handler, field for field as docs/custom-handler.md and
/// real captures show them: string metadata JSON-encoded twice, integers as strings, the bindings' array forms for
/// cardinality "many", and the HTTP trigger's request object.
/// </summary>
public static class HostPayloads
{
    public static JsonNode Encode(string json, BodyEncoding encoding) => encoding switch
    {
        BodyEncoding.JsonString => JsonValue.Create(json),
        BodyEncoding.DoubleEncoded => JsonValue.Create(JsonSerializer.Serialize(json)),
        BodyEncoding.Base64 => JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(json))),
        _ => JsonNode.Parse(json)!,
    };

    /// <summary>A string as the host puts it in Metadata: JSON-encoded ("abc" → "\"abc\"").</summary>
    public static string Quoted(string value) => JsonSerializer.Serialize(value);

    /// <summary>A Service Bus trigger invocation (binding "msg", cardinality one).</summary>
    public static JsonObject ServiceBus(string function, JsonNode? body, string messageId, JsonNode? deliveryCount) => new()
    {
        ["Data"] = new JsonObject { ["msg"] = body },
        ["Metadata"] = new JsonObject
        {
            ["DeliveryCount"] = deliveryCount,
            ["SequenceNumber"] = "17",
            ["MessageId"] = Quoted(messageId),
            ["LockToken"] = Quoted(Guid.NewGuid().ToString()),
            ["ContentType"] = Quoted("application/json"),
            ["CorrelationId"] = Quoted(Guid.NewGuid().ToString()),
            ["EnqueuedTimeUtc"] = "2026-11-23T10:00:00",
            ["ExpiresAtUtc"] = "2026-12-07T10:00:00",
            ["ApplicationProperties"] = new JsonObject(),
            ["UserProperties"] = new JsonObject(),
            ["MessageActions"] = new JsonObject(),
            ["Client"] = new JsonObject { ["FullyQualifiedNamespace"] = "routerfn.servicebus.windows.net" },
            ["sys"] = Sys(function),
        },
    };

    /// <summary>A feedback message with string metadata as the host sends it ("DeliveryCount": "2").</summary>
    public static JsonObject Feedback(string json, string messageId, int deliveryCount, BodyEncoding encoding = BodyEncoding.JsonString) =>
        ServiceBus("IngestFeedback", Encode(json, encoding), messageId, deliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Cardinality "many": Data.msg is an array and each metadata key has its array form.</summary>
    public static JsonObject ServiceBusMany(string function, IReadOnlyList<JsonNode> bodies, IReadOnlyList<string> messageIds, IReadOnlyList<JsonNode> deliveryCounts) => new()
    {
        ["Data"] = new JsonObject { ["msg"] = new JsonArray([.. bodies]) },
        ["Metadata"] = new JsonObject
        {
            ["MessageIdArray"] = new JsonArray([.. messageIds.Select(id => JsonValue.Create(Quoted(id)))]),
            ["DeliveryCountArray"] = new JsonArray([.. deliveryCounts]),
            ["SequenceNumberArray"] = new JsonArray([.. bodies.Select((_, i) => JsonValue.Create((17 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))]),
            ["ContentTypeArray"] = new JsonArray([.. bodies.Select(_ => JsonValue.Create(Quoted("application/json")))]),
            ["ApplicationPropertiesArray"] = new JsonArray([.. bodies.Select(_ => new JsonObject())]),
            ["UserPropertiesArray"] = new JsonArray([.. bodies.Select(_ => new JsonObject())]),
            ["MessageActions"] = new JsonObject(),
            ["Client"] = new JsonObject { ["FullyQualifiedNamespace"] = "routerfn.servicebus.windows.net" },
            ["sys"] = Sys(function),
        },
    };

    /// <summary>
    /// An HTTP trigger invocation (a function with outputs besides "res"): Data.req is the request with its body as
    /// a string, or as <paramref name="bodyNode"/> when given.
    /// </summary>
    public static JsonObject Http(string function, string route, string? body, JsonNode? bodyNode = null) => new()
    {
        ["Data"] = new JsonObject
        {
            ["req"] = new JsonObject
            {
                ["Url"] = $"https://routerfn.azurewebsites.net/api/{route}",
                ["Method"] = "POST",
                ["Query"] = new JsonObject(),
                ["Headers"] = new JsonObject { ["Content-Type"] = new JsonArray("application/json") },
                ["Params"] = new JsonObject(),
                ["Body"] = bodyNode ?? JsonValue.Create(body),
            },
        },
        ["Metadata"] = new JsonObject
        {
            ["Query"] = new JsonObject(),
            ["Headers"] = new JsonObject { ["Content-Type"] = Quoted("application/json") },
            ["sys"] = Sys(function),
        },
    };

    private static JsonObject Sys(string function) => new()
    {
        ["MethodName"] = function,
        ["UtcNow"] = "2026-11-23T10:00:01.123Z",
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };
}
