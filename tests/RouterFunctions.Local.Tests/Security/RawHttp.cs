using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace RouterFunctions.Local.Tests.Security;

/// <summary>
/// Requests written byte for byte on a socket, for what HttpClient will not send: a Content-Length that lies, both
/// Content-Length and Transfer-Encoding, broken chunked encoding, CR/LF or NUL in a header, obs-fold, a garbage
/// request line, raw control and non-ASCII bytes in the path, no Host, oversized request lines and header blocks.
/// </summary>
internal static class RawHttp
{
    private const string Host = "Host: localhost\r\n";

    public static FuzzRequest Case(int index, Hostile h)
    {
        var json = h.Pick(["{\"query\":\"What is the capital of France?\"}", "{\"query\":\"hi\"", "{\"model\":\"router\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "null"]);
        var path = h.Pick(["/api/route", "/v1/chat/completions", "/api/feedback", "/api/aggregate", "/Feedback", "/IngestFeedback", "/AggregateStep"]);
        var post = $"POST {path} HTTP/1.1\r\n{Host}Content-Type: application/json\r\nConnection: close\r\n";
        int? expected = null;
        IReadOnlyList<int>? allowed = null;
        var (kind, text) = h.Next(24) switch
        {
            0 => ("content-length-too-long", post + $"Content-Length: {json.Length + h.Between(1, 1_000)}\r\n\r\n{json}"),
            1 => ("content-length-too-short", post + $"Content-Length: {h.Between(0, json.Length)}\r\n\r\n{json}"),
            2 => ("content-length-and-chunked", post + $"Content-Length: {json.Length}\r\nTransfer-Encoding: chunked\r\n\r\n{json.Length:x}\r\n{json}\r\n0\r\n\r\n"),
            3 => ("content-length-twice", post + $"Content-Length: {json.Length}\r\nContent-Length: {json.Length + 5}\r\n\r\n{json}"),
            4 => ("content-length-garbage", post + $"Content-Length: {h.Pick(["-1", "abc", "1e3", "0x10", "99999999999999999999", " ", "1,1"])}\r\n\r\n{json}"),
            5 => ("chunked-broken", post + $"Transfer-Encoding: chunked\r\n\r\n{h.Pick(["ZZ\r\nabc\r\n0\r\n\r\n", "5\r\nabcdefghij\r\n0\r\n\r\n", "ffffffffffffffffff\r\na\r\n", "3;" + new string('e', 10_000) + "\r\nabc\r\n0\r\n\r\n", "-1\r\n\r\n"])}"),
            6 => ("chunked-then-eof", post + $"Transfer-Encoding: chunked\r\n\r\n{json.Length:x}\r\n{json}\r\n"),
            7 => ("transfer-encoding-odd", post + $"Transfer-Encoding: {h.Pick(["gzip", "chunked, gzip", "identity", "chunked\t", "xchunked"])}\r\n\r\n{json}"),
            8 => ("obs-fold", post + $"X-Folded: a\r\n b\r\nContent-Length: {json.Length}\r\n\r\n{json}"),
            9 => ("header-control-bytes", post + $"X-Evil: a{h.Pick(["\0", "\u0001", "\u007f", "\r", "\u001b[31m"])}b\r\nContent-Length: {json.Length}\r\n\r\n{json}"),
            10 => ("header-bad-name", post + $"{h.Pick(["Bad Header", "X(y)", "", "X:Y", "\u00e9t\u00e9"])}: x\r\nContent-Length: {json.Length}\r\n\r\n{json}"),
            11 => ("header-no-colon", post + $"NoColonHere\r\nContent-Length: {json.Length}\r\n\r\n{json}"),
            12 => ("header-latin1-bytes", post + $"X-Latin: caf\u00e9 \u00ff\r\nContent-Length: {json.Length}\r\n\r\n{json}"),
            13 => ("request-line-garbage", h.Pick(["GET /api/health HTTP/1.1x\r\n", "GET  /api/health HTTP/1.1\r\n", "GET /api/health\r\n", "\u0001\u0002\u0003 / HTTP/1.1\r\n", "GET * HTTP/1.1\r\n", "GET api/health HTTP/1.1\r\n", "GET http://evil.test/api/health HTTP/1.1\r\n", "GET /api/health HTTP/1.1 extra\r\n", "\r\n\r\nGET /api/health HTTP/1.1\r\n"]) + Host + "Connection: close\r\n\r\n"),
            14 => ("path-raw-bytes", $"GET /api/aggregate/{h.Pick(["\u0001\u007f", "a b", "\u00e9", "%00", "..%2f..%2f", "%C0%AF", "\\..\\..", "a\tb", "<script>", "%%", "%zz", "%"])} HTTP/1.1\r\n{Host}Connection: close\r\n\r\n"),
            15 => ("path-dot-segments", $"{h.Pick(["GET", "POST"])} {h.Pick(["/api/health/../route", "/api/./health", "/./././api/health", "/api/health/%2e%2e/route", "/../../../api/health"])} HTTP/1.1\r\n{Host}Content-Length: 0\r\nConnection: close\r\n\r\n"),
            16 => ("no-host", "GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n"),
            17 => ("host-odd", $"GET /api/health HTTP/1.1\r\nHost: {h.Pick(["", "a b", "evil.test:99999", "[::1", "localhost\r\nHost: other", "xn--80ak6aa92e.com", "%00"])}\r\nConnection: close\r\n\r\n"),
            18 => ("request-line-huge", $"GET /api/aggregate/{new string('j', h.Pick([9_000, 20_000]))} HTTP/1.1\r\n{Host}Connection: close\r\n\r\n"),
            19 => ("headers-many", $"GET /api/health HTTP/1.1\r\n{Host}{string.Concat(Enumerable.Range(0, h.Pick([101, 500])).Select(i => $"X-H{i}: {i}\r\n"))}Connection: close\r\n\r\n"),
            20 => ("headers-huge", $"GET /api/health HTTP/1.1\r\n{Host}X-Big: {new string('b', h.Pick([33_000, 100_000]))}\r\nConnection: close\r\n\r\n"),
            21 => ("declared-huge-body-not-sent", post + $"Content-Length: {Hostile.BodyLimit + h.Between(1, 100_000_000)}\r\n\r\n{json}"),
            22 => ("upgrade", $"GET /api/health HTTP/1.1\r\n{Host}Connection: Upgrade, HTTP2-Settings\r\nUpgrade: {h.Pick(["h2c", "websocket", "TLS/1.0"])}\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"),
            _ => ("expect-continue", post + $"Expect: 100-continue\r\nContent-Length: {json.Length}\r\n\r\n{json}"),
        };

        if (kind == "declared-huge-body-not-sent")
        {
            expected = 413; // BodySizeLimit answers on the declared length, before reading a byte
        }
        else if (kind is "content-length-too-long" or "chunked-then-eof")
        {
            allowed = [400, 408]; // the body never completes: the server times the read out (MinRequestBodyDataRate)
        }

        // Latin-1 so that every char is one byte as written (the non-ASCII cases are meant as raw bytes).
        return new FuzzRequest(index, "raw-http", kind, "RAW", text.Split("\r\n")[0])
        {
            Raw = Encoding.Latin1.GetBytes(text),
            ServerMayReject = true,
            Expected = expected,
            Allowed = allowed,
            // Bytes the server never reads (a body after a refused header, the excess over Content-Length) make its
            // close a TCP reset, which can overtake the answer: the connection may end without one.
            MayDrop = kind is not ("content-length-too-long" or "chunked-then-eof" or "no-host" or "request-line-huge" or "headers-many" or "headers-huge" or "upgrade" or "path-raw-bytes" or "path-dot-segments" or "host-odd" or "request-line-garbage"),
        };
    }

    /// <summary>Writes the bytes and reads the first response (status, headers, de-chunked body) until the server closes.</summary>
    public static async Task<FuzzResponse> SendAsync(Uri server, byte[] request, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync(request, cancellationToken);
        await stream.FlushAsync(cancellationToken);

        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0 && received.Length < 8 << 20)
            {
                received.Write(buffer, 0, read);
                if (Complete(received.GetBuffer().AsSpan(0, (int)received.Length)))
                {
                    break; // a kept-alive connection (or one the server drains before closing) would keep us waiting
                }
            }
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the answer (the server closing a connection with unread input): the answer is what counts.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (received.Length == 0)
            {
                return FuzzResponse.None("no answer within 20 s");
            }
        }

        return Parse(received.ToArray());
    }

    /// <summary>Whether <paramref name="bytes"/> hold a whole response: the headers and the body they announce.</summary>
    private static bool Complete(ReadOnlySpan<byte> bytes)
    {
        bytes = bytes[SkipInterim(bytes)..];
        var end = bytes.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return false;
        }

        var head = Encoding.Latin1.GetString(bytes[..end]);
        var body = bytes[(end + 4)..];
        if (head.Contains("\r\nTransfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return body.EndsWith("0\r\n\r\n"u8);
        }

        // Without a length the body runs to the close (Kestrel always sends one, or chunks).
        var length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is not null && body.Length >= int.Parse(length["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Where the final response starts: past any interim 1xx responses (100 Continue).</summary>
    private static int SkipInterim(ReadOnlySpan<byte> bytes)
    {
        var start = 0;
        while (bytes[start..].StartsWith("HTTP/1.1 1"u8) && bytes[start..].IndexOf("\r\n\r\n"u8) is >= 0 and var end)
        {
            start += end + 4;
        }

        return start;
    }

    private static FuzzResponse Parse(byte[] bytes)
    {
        bytes = bytes[SkipInterim(bytes)..];
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || end < 0)
        {
            return FuzzResponse.None($"no HTTP response ({bytes.Length} bytes: {text[..Math.Min(text.Length, 100)]})");
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].AsSpan(9, 3), CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = bytes.AsSpan(end + 4).ToArray();
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        var mediaType = headers.TryGetValue("Content-Type", out var ct) ? ct.Split(';')[0].Trim() : null;
        return new FuzzResponse(status, mediaType, headers.ContainsKey(FuzzApp.SeenHeader), Encoding.UTF8.GetString(body), null);
    }

    private static byte[] Dechunk(byte[] body)
    {
        using var output = new MemoryStream();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.AsSpan(position).IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var sizeText = Encoding.ASCII.GetString(body, position, lineEnd).Split(';')[0];
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }

            position += lineEnd + 2;
            output.Write(body, position, Math.Min(size, body.Length - position));
            position += size + 2;
        }

        return output.ToArray();
    }
}
