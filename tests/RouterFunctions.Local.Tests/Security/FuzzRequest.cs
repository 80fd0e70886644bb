using System.Text;

namespace RouterFunctions.Local.Tests.Security;

/// <summary>
/// One generated request. <see cref="Raw"/> requests are written byte for byte on a socket (what HttpClient refuses to
/// send: wrong Content-Length, CR/LF in headers, a garbage request line); the others go through HttpClient.
/// </summary>
internal sealed record FuzzRequest(int Index, string Endpoint, string Kind, string Method, string Target)
{
    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    /// <summary>Sent without Content-Length (Transfer-Encoding: chunked).</summary>
    public bool Chunked { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public byte[]? Raw { get; init; }

    /// <summary>
    /// The request may be refused by Kestrel itself, before any app code runs (header or request-line limits, a
    /// malformed request): such an answer is a bodiless 4xx that no middleware can turn into ProblemDetails.
    /// </summary>
    public bool ServerMayReject { get; init; }

    /// <summary>
    /// The server may end the connection without an answer the client can read: a raw request leaving bytes unread
    /// (see <see cref="RawHttp"/>), or a body over the limit still being written when the server answers and closes.
    /// </summary>
    public bool MayDrop { get; init; }

    /// <summary>The one status the answer must have, when the request determines it (413 for a declared body over 1 MiB, 405, 404).</summary>
    public int? Expected { get; init; }

    /// <summary>Statuses the answer may have besides <see cref="Expected"/> (e.g. a chunked body over the limit: 400 or 413).</summary>
    public IReadOnlyList<int>? Allowed { get; init; }

    public long BodyBytes => Raw?.Length ?? Body?.Length ?? 0;

    /// <summary>What to print when the request fails: enough to see what it was (the seed and index reproduce it exactly).</summary>
    public string Describe()
    {
        var body = Raw ?? Body;
        var preview = body is null ? "(none)" : Preview(body);
        var headers = Headers.Count == 0 ? "" : $" headers: {string.Join("; ", Headers.Take(5).Select(h => $"{h.Key}: {Clip(h.Value, 80)}"))}{(Headers.Count > 5 ? $" (+{Headers.Count - 5})" : "")}";
        return $"#{Index} {Endpoint} [{Kind}] {Method} {Clip(Target, 200)} content-type: {ContentType ?? "(none)"}{(Chunked ? " chunked" : "")} body {body?.Length ?? 0} B: {preview}{headers}";
    }

    private static string Preview(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 240));
        return Clip(new string([.. text.Select(c => char.IsControl(c) ? '·' : c)]), 240);
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + $"…({text.Length})";
}
