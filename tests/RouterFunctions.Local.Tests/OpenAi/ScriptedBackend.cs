using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace RouterFunctions.Local.Tests.OpenAi;

/// <summary>
/// Every model backend at once, as an OpenAI-compatible server would answer: "answer from &lt;model&gt;" (streamed in
/// three chunks when asked), or the status a test scripted for that model, or a refused connection. Records each
/// request's model and body.
/// </summary>
public sealed class ScriptedBackend : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, HttpStatusCode> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _brokenStreams = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Model, JsonElement Body)> Requests { get; } = new();

    public static string AnswerOf(string model) => $"answer from {model}";

    /// <summary>The "Models" configuration that sends every profile model to this backend, at the profile's prices.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ModelSettings(IReadOnlyList<RouterFunctions.Core.Profiles.ModelDescriptor> models)
    {
        for (var i = 0; i < models.Count; i++)
        {
            yield return new($"Models:{i}:Name", models[i].Name);
            yield return new($"Models:{i}:Kind", "OpenAICompatible");
            yield return new($"Models:{i}:Endpoint", "http://backend.test/v1");
            yield return new($"Models:{i}:Model", models[i].Name);
            yield return new($"Models:{i}:InputPricePerMillion", models[i].InputPricePerMillion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            yield return new($"Models:{i}:OutputPricePerMillion", models[i].OutputPricePerMillion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The models asked, in the order they were asked.</summary>
    public IReadOnlyList<string> Asked => [.. Requests.Select(r => r.Model)];

    public void Fail(string model, HttpStatusCode status) => _failures[model] = status;

    /// <summary>The model's endpoint is unreachable: its requests fail as a refused connection does, without a status.</summary>
    public void Refuse(string model) => _refused[model] = true;

    /// <summary>The model's streams send their first content chunk, then the connection resets.</summary>
    public void BreakStreams(string model) => _brokenStreams[model] = true;

    /// <summary>Forgets the scripted failures and the recorded requests (for a backend shared by a test class's tests).</summary>
    public void Reset()
    {
        _failures.Clear();
        _refused.Clear();
        _brokenStreams.Clear();
        Requests.Clear();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
        var model = body.GetProperty("model").GetString()!;
        Requests.Enqueue((model, body));
        if (_refused.ContainsKey(model))
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (backend.test:80)");
        }

        if (_failures.TryGetValue(model, out var status))
        {
            return new HttpResponseMessage(status) { Content = new StringContent("""{"error":{"message":"scripted failure"}}""", Encoding.UTF8, "application/json") };
        }

        var stream = body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        return stream ? Sse(model, _brokenStreams.ContainsKey(model)) : Json(model);
    }

    private static HttpResponseMessage Json(string model) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(JsonSerializer.Serialize(new
        {
            id = "cmpl-1",
            @object = "chat.completion",
            created = 1,
            model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = AnswerOf(model) }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 12, completion_tokens = 4, total_tokens = 16 },
        }), Encoding.UTF8, "application/json"),
    };

    private static HttpResponseMessage Sse(string model, bool broken)
    {
        var answer = AnswerOf(model);
        var parts = new[] { answer[..6], answer[6..11], answer[11..] };
        var events = new StringBuilder();
        foreach (var part in parts)
        {
            events.Append("data: ").Append(Chunk(model, new { content = part }, null)).Append("\n\n");
            if (broken)
            {
                return SseContent(events, broken);
            }
        }

        events.Append("data: ").Append(Chunk(model, new { }, "stop")).Append("\n\n");
        events.Append("data: ").Append(JsonSerializer.Serialize(new
        {
            id = "cmpl-1", @object = "chat.completion.chunk", created = 1, model, choices = Array.Empty<object>(),
            usage = new { prompt_tokens = 12, completion_tokens = 4, total_tokens = 16 },
        })).Append("\n\n");
        events.Append("data: [DONE]\n\n");
        return SseContent(events, broken);
    }

    /// <summary>Forward-only like a socket's stream: the SDK's SSE reader trips over a seekable one when it is disposed.</summary>
    private static HttpResponseMessage SseContent(StringBuilder events, bool broken) => new(HttpStatusCode.OK)
    {
        Content = new StreamContent(new ForwardOnlyStream(Encoding.UTF8.GetBytes(events.ToString()), broken)) { Headers = { { "Content-Type", "text/event-stream" } } },
    };

    private static string Chunk(string model, object delta, string? finish) => JsonSerializer.Serialize(new
    {
        id = "cmpl-1", @object = "chat.completion.chunk", created = 1, model,
        choices = new[] { new { index = 0, delta, finish_reason = finish } },
    });

    /// <summary>Reads out <c>content</c>; then ends, or, when <c>breaks</c>, fails as a reset connection does.</summary>
    private sealed class ForwardOnlyStream(byte[] content, bool breaks) : Stream
    {
        private readonly MemoryStream _inner = new(content, writable: false);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Checked(_inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Checked(await _inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Checked(int read) => read == 0 && breaks ? throw new IOException("Connection reset by peer (backend.test:80)") : read;

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
