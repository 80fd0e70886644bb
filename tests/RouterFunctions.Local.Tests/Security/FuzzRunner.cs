using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RouterFunctions.Local.Tests.Security;

/// <summary>An answer: status, media type, whether the app's pipeline produced it, and the body.</summary>
internal sealed record FuzzResponse(int Status, string? MediaType, bool SeenByApp, string Body, string? Error)
{
    public static FuzzResponse None(string error) => new(0, null, false, "", error);
}

/// <summary>
/// Sends the generated requests and holds each answer to the contract: never a 5xx; every 4xx the app answers is ProblemDetails (application/problem+json, a JSON object
/// whose <c>status</c> is the status); a request that determines its status gets it (413 for a declared body over
/// 1 MiB, 405 for a method a route does not answer). Kestrel's own refusals (request line or headers over its limits,
/// malformed HTTP) come before any app code and carry no body: they are counted apart, and only for requests built to
/// provoke them.
/// </summary>
internal sealed class FuzzRunner(Uri server, HttpClient client)
{
    private readonly ConcurrentBag<(FuzzRequest Request, FuzzResponse Response, string? Violation)> _results = [];
    private readonly ConcurrentBag<(FuzzRequest Request, TimeSpan Took)> _timings = [];

    public IReadOnlyCollection<(FuzzRequest Request, FuzzResponse Response, string? Violation)> Results => _results;

    public async Task RunAsync(IReadOnlyList<FuzzRequest> requests, int parallelism, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (request, ct) =>
        {
            FuzzResponse response;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                response = request.Raw is { } raw ? await RawHttp.SendAsync(server, raw, ct) : await SendAsync(request, ct);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                response = FuzzResponse.None($"{e.GetType().Name}: {e.Message}{(e.InnerException is { } cause ? $" ({cause.GetType().Name}: {cause.Message})" : "")}");
            }

            var violation = Check(request, response);
            _results.Add((request, response, violation));
            _timings.Add((request, System.Diagnostics.Stopwatch.GetElapsedTime(started)));
        });

    private async Task<FuzzResponse> SendAsync(FuzzRequest request, CancellationToken cancellationToken)
    {
        // As written: no dot-segment removal or re-escaping, so traversal and odd percent-encoding reach the server.
        var uri = new Uri(server.GetLeftPart(UriPartial.Authority) + request.Target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        // A connection of its own: a pooled one the server has just closed (after a 413, say) would fail the next request.
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), uri) { Headers = { ConnectionClose = true } };
        if (request.Body is { } body)
        {
            message.Content = request.Chunked ? new StreamContent(new ForwardOnlyStream(body)) : new ByteArrayContent(body);
            message.Content.Headers.Remove("Content-Type");
            if (request.ContentType is { } contentType)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new FuzzResponse(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.Contains(FuzzApp.SeenHeader),
            text,
            null);
    }

    private static string? Check(FuzzRequest request, FuzzResponse response)
    {
        if (response.Error is { } error)
        {
            return request.MayDrop ? null : $"no answer: {error}";
        }

        var status = response.Status;
        if (status >= 500)
        {
            return $"{status}: {Clip(response.Body)}";
        }

        // Kestrel refusing the request line or headers comes first, whatever the app would have answered.
        if (status >= 400 && !response.SeenByApp && request.ServerMayReject)
        {
            return null;
        }

        if (request.Expected is { } expected && status != expected && !(request.Allowed?.Contains(status) ?? false))
        {
            return $"expected {expected}, got {status}: {Clip(response.Body)}";
        }

        if (request.Expected is null && request.Allowed is { } allowed && !allowed.Contains(status))
        {
            return $"expected one of {string.Join("/", allowed)}, got {status}: {Clip(response.Body)}";
        }

        if (status >= 400)
        {
            if (!response.SeenByApp)
            {
                return $"{status} from the server, not the app: {Clip(response.Body)}";
            }

            return request.Method == "HEAD" ? null : Problem(status, response.MediaType, response.Body);
        }

        return null;
    }

    private static string? Problem(int status, string? mediaType, string body)
    {
        if (mediaType != "application/problem+json")
        {
            return $"{status} is {mediaType ?? "without a content type"}, not application/problem+json: {Clip(body)}";
        }

        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == status
                ? null
                : $"{status}: ProblemDetails without status {status}: {Clip(body)}";
        }
        catch (JsonException)
        {
            return $"{status}: ProblemDetails that is not JSON: {Clip(body)}";
        }
    }

    /// <summary>The figures: requests, statuses overall and per endpoint, 4xx, 5xx, Kestrel's own refusals.</summary>
    public string Figures(int seed, TimeSpan elapsed)
    {
        var all = _results.ToList();
        var text = new StringBuilder();
        var total = all.Count;
        var fourxx = all.Count(r => r.Response.Status is >= 400 and < 500);
        var fivexx = all.Count(r => r.Response.Status >= 500);
        var server = all.Count(r => r.Response.Status is >= 400 and < 500 && !r.Response.SeenByApp);
        var none = all.Count(r => r.Response.Error is not null);
        var dropped = all.Count(r => r.Response.Error is not null && r.Request.MayDrop);
        var bytes = all.Sum(r => r.Request.BodyBytes);
        text.AppendLine(CultureInfo.InvariantCulture, $"[fuzz] seed {seed} (rerun: FUZZ_SEED={seed}), {total} requests, {bytes / 1_048_576.0:F1} MiB sent, {elapsed.TotalSeconds:F1} s");
        text.AppendLine(CultureInfo.InvariantCulture, $"[fuzz] 2xx {all.Count(r => r.Response.Status is >= 200 and < 300)}, 3xx {all.Count(r => r.Response.Status is >= 300 and < 400)}, 4xx {fourxx} (ProblemDetails from the app {fourxx - server}, bodiless from Kestrel itself {server}), 5xx {fivexx}, no answer {none} (requests the server may end without an answer the client can read: {dropped})");
        text.AppendLine(CultureInfo.InvariantCulture, $"[fuzz] by status: {Statuses(all)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"[fuzz] {"endpoint",-26} {"sent",5} {"4xx",5} {"5xx",4}  statuses");
        foreach (var group in all.GroupBy(r => r.Request.Endpoint).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"[fuzz] {group.Key,-26} {group.Count(),5} {group.Count(r => r.Response.Status is >= 400 and < 500),5} {group.Count(r => r.Response.Status >= 500),4}  {Statuses(group)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"[fuzz] slowest: {string.Join(", ", _timings.OrderByDescending(t => t.Took).Take(6).Select(t => $"#{t.Request.Index} {t.Request.Endpoint} [{t.Request.Kind}] {t.Took.TotalSeconds:F1} s"))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"[fuzz] by kind: {string.Join(", ", all.GroupBy(r => r.Request.Kind.Split('+')[0]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}");
        return text.ToString();
    }

    private static string Statuses(IEnumerable<(FuzzRequest Request, FuzzResponse Response, string? Violation)> results) =>
        string.Join(" ", results.GroupBy(r => r.Response.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>A stream that cannot seek, so HttpClient sends it chunked (no Content-Length) and the SSE reader reads it as a socket's.</summary>
internal sealed class ForwardOnlyStream(byte[] content) : Stream
{
    private readonly MemoryStream _inner = new(content, writable: false);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);

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
