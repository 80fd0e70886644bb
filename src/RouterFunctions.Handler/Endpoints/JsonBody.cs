using System.Text.Unicode;

namespace RouterFunctions.Handler.Endpoints;

/// <summary>
/// A request body read whole (BodySizeLimit bounds it) and checked to be UTF-8, for bodies parsed into JsonElement or
/// JsonDocument: System.Text.Json checks a string's UTF-8 only when it decodes it, so typed properties fail at once
/// (a JsonException, a 400) but a JsonElement keeps the raw bytes and throws InvalidOperationException when read
/// later (a 500).
/// </summary>
internal static class JsonBody
{
    /// <summary>The body's bytes, or null when they are not valid UTF-8.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadUtf8Async(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        return Utf8.IsValid(bytes.Span) ? bytes : null;
    }
}
