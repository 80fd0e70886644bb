using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Functions.Tests;

/// <summary>
/// Every model backend at once, as an OpenAI-compatible server answers: "answer from &lt;model&gt;", as one completion
/// or as server-sent events in two chunks. A trimmed copy of RouterFunctions.Local.Tests' ScriptedBackend (no
/// failures to script here). Records the model of each request.
/// </summary>
public sealed class ScriptedModels : HttpMessageHandler
{
    public ConcurrentQueue<string> Asked { get; } = new();

    public static string AnswerOf(string model) => $"answer from {model}";

    /// <summary>The "Models" configuration that sends every profile model to this backend, at the profile's prices.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(IReadOnlyList<ModelDescriptor> models)
    {
        for (var i = 0; i < models.Count; i++)
        {
            yield return new($"Models:{i}:Name", models[i].Name);
            yield return new($"Models:{i}:Kind", "OpenAICompatible");
            yield return new($"Models:{i}:Endpoint", "http://backend.test/v1");
            yield return new($"Models:{i}:Model", models[i].Name);
            yield return new($"Models:{i}:InputPricePerMillion", models[i].InputPricePerMillion.ToString(CultureInfo.InvariantCulture));
            yield return new($"Models:{i}:OutputPricePerMillion", models[i].OutputPricePerMillion.ToString(CultureInfo.InvariantCulture));
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
        var model = body.RootElement.GetProperty("model").GetString()!;
        Asked.Enqueue(model);
        var stream = body.RootElement.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        return stream ? Events(model) : Completion(model);
    }

    private static HttpResponseMessage Completion(string model) => new(HttpStatusCode.OK)
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

    private static HttpResponseMessage Events(string model)
    {
        var answer = AnswerOf(model);
        var events = new StringBuilder();
        foreach (var part in new[] { answer[..6], answer[6..] })
        {
            events.Append("data: ").Append(Chunk(model, new { content = part }, null)).Append("\n\n");
        }

        events.Append("data: ").Append(Chunk(model, new { }, "stop")).Append("\n\n");
        events.Append("data: [DONE]\n\n");
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new ForwardOnlyStream(Encoding.UTF8.GetBytes(events.ToString()))) { Headers = { { "Content-Type", "text/event-stream" } } },
        };
    }

    private static string Chunk(string model, object delta, string? finish) => JsonSerializer.Serialize(new
    {
        id = "cmpl-1", @object = "chat.completion.chunk", created = 1, model,
        choices = new[] { new { index = 0, delta, finish_reason = finish } },
    });

    /// <summary>Forward-only like a socket's stream: the SDK's SSE reader trips over a seekable one when it is disposed.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content, writable: false);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

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
