using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace RouterFunctions.Chat.Tests;

/// <summary>One request exactly as it reached the wire: method, URI, every header (request and content) and the body.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public string Host => Uri.Host;

    public string Path => Uri.AbsolutePath;

    public JsonNode Json => JsonNode.Parse(Body ?? throw new InvalidOperationException("The request had no body."))!;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// The real seam of the SDKs: an <see cref="HttpMessageHandler"/> that records each request verbatim and answers with
/// what <c>respond</c> says, usually a recorded response from the Recorded folder.
/// </summary>
internal sealed class VerbatimHttpHandler(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _gate = new();

    public VerbatimHttpHandler(Func<RecordedRequest, HttpResponseMessage> respond)
        : this((request, _) => Task.FromResult(respond(request)))
    {
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public RecordedRequest Single() => Assert.Single(Requests);

    public int CountFor(string host) => Requests.Count(r => r.Host == host);

    public HttpClient Client() => new(this, disposeHandler: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(",", values);
        }

        string? body = null;
        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                headers[name] = string.Join(",", values);
            }

            body = await request.Content.ReadAsStringAsync(cancellationToken);
        }

        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body);
        lock (_gate)
        {
            _requests.Add(recorded);
        }

        var response = await respond(recorded, cancellationToken);
        response.RequestMessage = request;
        return response;
    }
}

/// <summary>Responses recorded from the services (files under Recorded/), and the failures the tests need.</summary>
internal static class Replies
{
    public static string Text(string file) => File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Recorded", file));

    public static HttpResponseMessage Json(string file, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(Text(file), Encoding.UTF8, "application/json") };

    /// <summary>A recorded SSE stream, on a forward-only stream like a socket's (a seekable one would trip the SDK's dispose).</summary>
    public static HttpResponseMessage Sse(string file) => SsePrefix(file, int.MaxValue, _ => Task.CompletedTask);

    /// <summary>An error the way the services send it: JSON body, and Retry-After on a 429.</summary>
    public static HttpResponseMessage Error(int status)
    {
        var file = status switch { 400 => "error-400.json", 401 => "error-401.json", 429 => "error-429.json", _ => "error-503.json" };
        var response = Json(file, (HttpStatusCode)status);
        if (status == 429)
        {
            response.Headers.Add("Retry-After", "6");
        }

        return response;
    }

    /// <summary>A stream that sends the first <paramref name="events"/> SSE events of a recording, then does what <paramref name="then"/> does.</summary>
    public static HttpResponseMessage SsePrefix(string file, int events, Func<CancellationToken, Task> then)
    {
        var prefix = string.Concat(Text(file).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Take(events).Select(e => e + "\n\n"));
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new PrefixThenStream(Encoding.UTF8.GetBytes(prefix), then)) { Headers = { { "Content-Type", "text/event-stream" } } },
        };
    }

    /// <summary>Reads out a prefix, then awaits <c>then</c> (which throws or hangs) instead of ending.</summary>
    private sealed class PrefixThenStream(byte[] prefix, Func<CancellationToken, Task> then) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsMemory(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            await then(cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
