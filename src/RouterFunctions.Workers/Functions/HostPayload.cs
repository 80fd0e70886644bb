using System.Globalization;
using System.Text;
using System.Text.Json;
using RouterFunctions.Messaging;

namespace RouterFunctions.Workers.Functions;

/// <summary>
/// Reads the Functions host's invocation payload ({"Data": …, "Metadata": …}) with all the quirks of
/// docs/custom-handler.md: string metadata JSON-encoded twice, numbers as strings, the body single- or double-encoded,
/// or base64, or an object, and the array forms of cardinality "many".
/// </summary>
public static class HostPayload
{
    /// <summary>The Service Bus messages of a trigger binding named <paramref name="binding"/> (one, or many with cardinality many).</summary>
    public static IReadOnlyList<QueueDelivery> ServiceBus(JsonElement payload, string binding)
    {
        var data = Property(payload, "Data") is { ValueKind: JsonValueKind.Object } d && Property(d, binding) is { } value
            ? value
            : throw new FormatException($"The invocation has no Data.{binding}.");
        var metadata = Property(payload, "Metadata") ?? default;
        if (data.ValueKind == JsonValueKind.Array && Property(metadata, "MessageIdArray") is { ValueKind: JsonValueKind.Array } ids)
        {
            var counts = Property(metadata, "DeliveryCountArray");
            return [.. data.EnumerateArray().Select((message, i) => new QueueDelivery(
                Body(message),
                i < ids.GetArrayLength() ? Text(ids[i]) ?? "" : "",
                counts is { ValueKind: JsonValueKind.Array } c && i < c.GetArrayLength() ? DeliveryCount(c[i]) : 1))];
        }

        return [new QueueDelivery(Body(data), Text(Property(metadata, "MessageId")) ?? "", DeliveryCount(Property(metadata, "DeliveryCount")))];
    }

    // Service Bus counts deliveries from 1: a count that is absent, unreadable or below 1 is a first delivery (never a
    // count that can stay under the park threshold for ever).
    private static int DeliveryCount(JsonElement? value) => Number(value) is > 0 and var n ? n : 1;

    /// <summary>The body of an HTTP trigger binding (Data.&lt;binding&gt;.Body), as text.</summary>
    public static string HttpBody(JsonElement payload, string binding) =>
        Property(payload, "Data") is { } data && Property(data, binding) is { ValueKind: JsonValueKind.Object } request && Property(request, "Body") is { } body
            ? body.ValueKind == JsonValueKind.String ? body.GetString()! : body.GetRawText()
            : "";

    /// <summary>A message body: JSON text, unquoted once or twice if it came as a JSON string, or decoded from base64.</summary>
    public static string Body(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return value.GetRawText();
        }

        var text = value.GetString()!;
        for (var i = 0; i < 2 && TryUnquote(text, out var inner); i++)
        {
            text = inner;
        }

        if (!LooksLikeJson(text) && TryBase64(text, out var decoded) && LooksLikeJson(decoded))
        {
            return decoded;
        }

        return text;
    }

    /// <summary>A metadata string, JSON-encoded once more by the host ("\"abc\"" → abc).</summary>
    public static string? Text(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } v => TryUnquote(v.GetString()!, out var inner) ? inner : v.GetString(),
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        _ => null,
    };

    /// <summary>A metadata integer, which the host sends as a string ("1") or, sometimes, a number.</summary>
    public static int? Number(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var n) => n,
        { ValueKind: JsonValueKind.String } v when int.TryParse(Text(v), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static bool TryUnquote(string text, out string inner)
    {
        inner = text;
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || trimmed[0] != '"' || trimmed[^1] != '"')
        {
            return false;
        }

        try
        {
            inner = JsonSerializer.Deserialize<string>(trimmed) ?? text;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool LooksLikeJson(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return false;
        }

        try
        {
            using var _ = JsonDocument.Parse(trimmed);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryBase64(string text, out string decoded)
    {
        decoded = "";
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var length))
        {
            return false;
        }

        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, length);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
