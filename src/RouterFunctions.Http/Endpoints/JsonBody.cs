using System.Text.Json;
using System.Text.Unicode;

namespace RouterFunctions.Http.Endpoints;

/// <summary>
/// A request body read whole (BodySizeLimit bounds it) and checked to hold only text System.Text.Json can decode, for
/// bodies parsed into JsonElement or JsonDocument. The serializer checks a string when it decodes it: a typed property
/// fails at once (a JsonException, a 400), but a JsonElement keeps the raw bytes and throws InvalidOperationException
/// when read later (a 500) if they are not UTF-8 or escape an unpaired surrogate ("\ud800").
/// </summary>
public static class JsonBody
{
    /// <summary>The body's bytes, or null when they are not valid UTF-8 or a JSON string in them escapes an unpaired surrogate.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        return Utf8.IsValid(bytes.Span) && EscapesDecode(bytes.Span) ? bytes : null;
    }

    private static bool EscapesDecode(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (or too deep): the caller's own parse says so, with the path.
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        return true;
    }
}
