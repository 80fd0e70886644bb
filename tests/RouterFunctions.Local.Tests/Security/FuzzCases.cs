using System.Globalization;
using System.Text;

namespace RouterFunctions.Local.Tests.Security;

/// <summary>What the generators aim at besides random values: names and ids the running app knows.</summary>
internal sealed record FuzzTargets(IReadOnlyList<string> Models, IReadOnlyList<string> Policies, IReadOnlyList<string> RequestIds, IReadOnlyList<string> JobIds);

/// <summary>
/// Every endpoint of the local router with the shape of a valid request, and the generators that turn it into hostile
/// ones: wrong types, missing and extra fields, duplicate keys, huge strings and bodies, JSON nested thousands deep,
/// invalid UTF-8, control characters, odd numbers, non-JSON bodies and content types, header abuse, unusual methods,
/// unknown routes, and raw requests HttpClient would refuse to write.
/// </summary>
internal static class FuzzCases
{
    /// <summary>No body sent is larger (3 MiB): far over the limit, and Kestrel still drains it to answer 413.</summary>
    private const int MaxBody = 3 << 20;

    private static readonly string[] JsonTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json", "application/json", "APPLICATION/JSON", "application/problem+json",
    ];

    private static readonly string[] OddTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=--fuzz", "application/octet-stream",
        "application/json; charset=utf-16", "application/json; charset=iso-8859-1", "application/json; charset=nonsense", "application/json;;;",
        "*/*", "", "json", "application/", "/", "text/html; charset=\"", "application/json; boundary=" + new string('x', 4_000),
        "application/vnd.api+json", "application/x-ndjson", "image/png",
    ];

    /// <summary>The routes and the methods they answer; any other method is a 405.</summary>
    private static readonly (string Path, string[] Methods)[] Routes =
    [
        ("/", ["GET"]), ("/api/route", ["POST"]), ("/api/feedback", ["POST"]), ("/api/retrain", ["POST"]), ("/api/retrains", ["GET"]),
        ("/api/profiles/current", ["GET"]), ("/api/health", ["GET"]), ("/v1/chat/completions", ["POST"]), ("/api/v1/chat/completions", ["POST"]),
        ("/v1/models", ["GET"]), ("/api/v1/models", ["GET"]), ("/api/aggregate", ["POST"]), ("/api/aggregate/some-job", ["GET"]),
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO", "get", "Post", "PROPFIND", "M-SEARCH", "CONNECTX"];

    private static readonly string[] UnknownPaths =
    [
        "/api", "/api/", "/api/routes", "/api/route/extra", "/v2/chat/completions", "/api/aggregate/a/b", "/.env", "/.git/config", "/admin",
        "/swagger/index.html", "/api/health/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/route%2F", "/api/route;jsessionid=1",
        "//api//route", "/api/%00", "/api/health%00", "/api/%ff%fe", "/api/%c0%af", "/api/health/", "/v1/chat/completions/", "/v1", "/v1/",
        "/Feedback/extra", "/NoSuchFunction", "/RetrainProfiles2", "/api/v1/chat", "/api/aggregate%2Fx", "/\u00e9t\u00e9", "/api/route?x=1#frag",
    ];

    /// <summary>
    /// All requests for one run, in a seeded random order: about 1,200 over every endpoint, or <paramref name="scale"/>
    /// of that over the endpoints <paramref name="include"/> keeps (by their names, e.g. "/api/route", "methods").
    /// </summary>
    public static List<FuzzRequest> All(int seed, FuzzTargets targets, Func<string, bool>? include = null, double scale = 1)
    {
        var plan = new List<Func<int, Hostile, FuzzRequest>>();
        void Add(string endpoint, int count, Func<int, Hostile, FuzzRequest> make)
        {
            if (include?.Invoke(endpoint) ?? true)
            {
                plan.AddRange(Enumerable.Repeat(make, Math.Max(1, (int)Math.Round(count * scale))));
            }
        }

        foreach (var (name, method, shape, huge, count) in Endpoints(targets))
        {
            Add(name, count, (index, h) => JsonCase(index, h, name, method, shape, huge));
        }

        foreach (var (path, count) in new[] { ("/", 20), ("/api/health", 30), ("/api/profiles/current", 20), ("/api/retrains", 25), ("/v1/models", 15), ("/api/v1/models", 15) })
        {
            Add(path, count, (index, h) => GetCase(index, h, path, path));
        }

        Add("/api/aggregate/{id}", 120, (index, h) => GetCase(index, h, "/api/aggregate/{id}", "/api/aggregate/" + JobId(h, targets)));
        foreach (var route in Routes)
        {
            Add("methods", 5, (index, h) => MethodCase(index, h, route));
        }

        Add("unknown-routes", 45, UnknownRouteCase);
        Add("raw-http", 45, RawHttp.Case);

        // One generator per request, seeded by (seed, index): any single request is reproduced from the run's seed.
        var order = new Random(seed);
        var shuffled = plan.ToArray();
        order.Shuffle(shuffled);
        return [.. shuffled.Select((make, i) => make(i, new Hostile(unchecked((seed * 1_000_003) + i))))];
    }

    private static (string Name, string Method, Shape Shape, Func<Hostile, string, string> Huge, int Count)[] Endpoints(FuzzTargets t)
    {
        var models = t.Models;
        var route = Shape.Object(
            ("query", Shape.String(h => h.Question())),
            ("policy", Shape.Object(
                ("costWeight", Shape.Value(h => Number(h.Unit()))),
                ("qualityBand", Shape.Value(h => Number(h.Unit() * 0.3))),
                ("maxCost", Shape.Value(h => Number(h.Unit() * 10))))),
            ("allowedModels", Shape.Array(Shape.String(h => h.Pick(models)), 1, 3, hostileMax: 20_000)));

        var feedback = Shape.Object(
            ("requestId", Shape.String(h => RequestId(h, t))),
            ("score", Shape.Value(h => Number(h.Unit()))),
            ("verdict", Shape.String(h => h.Pick(["good_fit", "overprovisioned", "underpowered", "failed"]))),
            ("model", Shape.String(h => h.Pick(models))),
            ("cost", Shape.Value(h => Number(h.Unit() / 100))),
            ("latencyMs", Shape.Value(h => Number(h.Unit() * 5_000))),
            ("source", Shape.String(h => h.Pick(["user", "eval", "thumbs"]))));

        var part = Shape.Object(("type", Shape.String(h => h.Pick(["text", "image_url", "input_audio"]))), ("text", Shape.String(h => h.Question())));
        var chat = Shape.Object(
            ("model", Shape.String(h => h.Chance(0.05) ? "router-r1" : h.Chance(0.6) ? "router" : h.Chance(0.5) ? "router:" + h.Pick(t.Policies) : h.Pick(models))),
            ("messages", Shape.Array(
                Shape.Object(
                    ("role", Shape.String(h => h.Pick(["user", "user", "system", "assistant", "developer", "tool"]))),
                    ("content", Shape.OneOf(Shape.String(h => h.Question()), Shape.Array(part, 1, 3))),
                    ("name", Shape.String(h => h.Pick(["alice", "bob"])))),
                1, 4, hostileMax: 2_000)),
            ("stream", Shape.Value(h => h.Chance(0.3) ? "true" : "false")),
            ("stream_options", Shape.Object(("include_usage", Shape.Value(h => h.Chance(0.5) ? "true" : "false")))),
            ("max_tokens", Shape.Value(h => h.Between(1, 4_096).ToString(CultureInfo.InvariantCulture))),
            ("temperature", Shape.Value(h => Number(h.Unit() * 2))),
            ("top_p", Shape.Value(h => Number(h.Unit()))),
            ("stop", Shape.OneOf(Shape.String(_ => "\n\n"), Shape.Array(Shape.String(_ => "END"), 0, 3))),
            ("n", Shape.Value(_ => "1")));

        var aggregate = Shape.Object(
            ("question", Shape.String(h => h.Question())),
            ("strategy", Shape.OneOf(Shape.String(h => h.Pick(["MultiRound", "Decompose", "multiRound"])), Shape.Value(h => h.Pick(["0", "1"])))),
            ("budget", Shape.Value(h => Number(0.001 + (h.Unit() / 20)))));

        return
        [
            // The host invocations' share (the local router no longer serves them) goes to the routes that took over their work.
            ("/api/route", "POST", route, Field("query"), 260),
            ("/v1/chat/completions", "POST", chat, ChatHuge, 120),
            ("/api/v1/chat/completions", "POST", chat, ChatHuge, 120),
            ("/api/feedback", "POST", feedback, Field("requestId"), 170),
            ("/api/aggregate", "POST", aggregate, Field("question"), 120),
            ("/api/retrain", "POST", Shape.Object(("reason", Shape.String(h => h.String()))), Field("reason"), 5),
        ];
    }

    private static FuzzRequest JsonCase(int index, Hostile h, string endpoint, string method, Shape shape, Func<Hostile, string, string> huge)
    {
        var kind = h.Next(100) switch
        {
            < 6 => "valid",
            < 34 => "mutated",
            < 52 => "mutated-heavy",
            < 60 => "hostile-json",
            < 67 => "not-json",
            < 75 => "invalid-utf8",
            < 81 => "corrupt-bytes",
            < 86 => "deep-json",
            < 92 => "huge",
            < 95 => "utf16",
            _ => "duplicate-keys",
        };
        byte[] body = kind switch
        {
            "valid" => Utf8(shape.Render(h, 0)),
            "mutated" => Utf8(shape.Render(h, 0.08)),
            "mutated-heavy" => Utf8(shape.Render(h, 0.4)),
            "hostile-json" => Utf8(h.Json()),
            "not-json" => NotJson(h, shape),
            "invalid-utf8" => h.SpliceInvalidUtf8(Utf8(shape.Render(h, 0.05))),
            "corrupt-bytes" => h.Corrupt(Utf8(shape.Render(h, 0.05))),
            "deep-json" => Utf8(DeepBody(h, shape)),
            "huge" => Utf8(huge(h, h.Huge(HugeSize(h)))),
            "utf16" => Encoding.Unicode.GetBytes(shape.Render(h, 0)),
            _ => Utf8(DuplicateKeys(h, shape)),
        };
        if (body.Length > MaxBody)
        {
            body = body[..MaxBody]; // hostile array lengths times huge strings: still over the limit, without sending 50 MiB
        }

        var chunked = h.Chance(0.1);
        var contentType = kind == "utf16" ? "application/json; charset=utf-16" : h.Chance(0.8) ? h.Pick(JsonTypes) : h.Chance(0.1) ? null : h.Pick(OddTypes);
        var abuse = h.Chance(0.12);
        return new FuzzRequest(index, endpoint, kind + (chunked ? "+chunked" : "") + (abuse ? "+headers" : ""), method, endpoint)
        {
            Body = body,
            ContentType = contentType,
            Chunked = chunked,
            Headers = abuse ? HeaderAbuse(h) : [],
            ServerMayReject = abuse,
            Expected = !chunked && body.Length > Hostile.BodyLimit ? 413 : null,
            Allowed = chunked && body.Length > Hostile.BodyLimit && endpoint != "/api/retrain" ? [400, 413] : null,
            // Past the limit the server stops reading and answers: a client still writing may see its write fail
            // (broken pipe) instead of the answer.
            MayDrop = body.Length > Hostile.BodyLimit,
        };
    }

    private static FuzzRequest GetCase(int index, Hostile h, string endpoint, string target)
    {
        var query = h.Chance(0.3) ? "?" + QueryString(h) : "";
        var withBody = h.Chance(0.1);
        var body = withBody ? Utf8(h.Chance(0.2) ? h.Huge(HugeSize(h)) : h.Json()) : null;
        var chunked = withBody && h.Chance(0.3);
        var abuse = h.Chance(0.25);
        var request = new FuzzRequest(index, endpoint, (query.Length > 0 ? "query" : "plain") + (withBody ? "+body" : "") + (abuse ? "+headers" : ""), "GET", target + query)
        {
            Body = body,
            ContentType = withBody ? h.Pick(OddTypes) : null,
            Chunked = chunked,
            Headers = abuse ? HeaderAbuse(h) : [],
            // A long hostile id or query can pass Kestrel's request-line limit (8 KiB): a 414 before the app.
            ServerMayReject = true,
            Expected = body is { Length: > Hostile.BodyLimit } && !chunked ? 413 : null,
            MayDrop = body is { Length: > Hostile.BodyLimit },
        };
        return request;
    }

    /// <summary>A method the route does not answer (405), or a case variant of one it does ("get": ASP.NET matches it).</summary>
    private static FuzzRequest MethodCase(int index, Hostile h, (string Path, string[] Methods) route)
    {
        var (path, allowed) = route;
        var method = h.Pick(Methods.Where(m => !allowed.Contains(m, StringComparer.Ordinal)).ToList());
        var body = method is "HEAD" or "GET" or "TRACE" || h.Chance(0.5) ? null : Utf8(h.Json());
        var abuse = h.Chance(0.3);
        return new FuzzRequest(index, "methods", method, method, path)
        {
            Body = body,
            ContentType = body is null ? null : "application/json",
            Headers = abuse ? HeaderAbuse(h) : [],
            ServerMayReject = abuse,
            // ASP.NET Core matches methods case-insensitively: "get" is GET there, and may answer anything.
            Expected = allowed.Contains(method, StringComparer.OrdinalIgnoreCase) ? null : 405,
        };
    }

    private static FuzzRequest UnknownRouteCase(int index, Hostile h)
    {
        var path = h.Chance(0.7) ? h.Pick(UnknownPaths) : "/" + Uri.EscapeDataString(Truncate(h.String(), 200));
        var method = h.Pick(["GET", "POST", "PUT", "DELETE"]);
        var body = method == "GET" ? null : Utf8(h.Json());
        return new FuzzRequest(index, "unknown-routes", method, method, path)
        {
            Body = body,
            ContentType = body is null ? null : "application/json",
            Headers = h.Chance(0.3) ? HeaderAbuse(h) : [],
            ServerMayReject = true,
        };
    }

    private static Func<Hostile, string, string> Field(string name) => (h, huge) => "{" + Hostile.Quote(name) + ":" + Hostile.Quote(huge) + "}";

    private static string ChatHuge(Hostile h, string huge) => h.Next(3) switch
    {
        0 => "{\"model\":\"router\",\"messages\":[{\"role\":\"user\",\"content\":" + Hostile.Quote(huge) + "}]}",
        1 => "{\"model\":\"router\",\"messages\":[" + string.Join(",", Enumerable.Repeat("{\"role\":\"user\",\"content\":" + Hostile.Quote(huge[..Math.Min(huge.Length, 2_000)]) + "}", Math.Max(1, huge.Length / 2_000))) + "]}",
        _ => "{\"model\":" + Hostile.Quote(huge) + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
    };

    private static int HugeSize(Hostile h) => h.Next(10) switch
    {
        < 2 => 33 * 1_024,
        < 4 => 600_000,
        < 5 => Hostile.BodyLimit - 200,
        < 9 => Hostile.BodyLimit + h.Between(1, 500_000),
        _ => 3 * Hostile.BodyLimit,
    };

    private static string DeepBody(Hostile h, Shape shape)
    {
        var deep = h.Deep(h.Chance(0.5) ? h.Between(1_000, 5_000) : h.Between(65, 1_000));
        if (h.Chance(0.5))
        {
            return deep;
        }

        // Nested inside an otherwise valid object, in place of its first field.
        var valid = shape.Render(h, 0);
        var colon = valid.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? deep : valid[..(colon + 1)] + deep + "}";
    }

    private static string DuplicateKeys(Hostile h, Shape shape)
    {
        var first = shape.Render(h, 0);
        var second = shape.Render(h, 0.3);
        return first.Length > 2 && second.StartsWith('{') && second.Length > 2 ? first[..^1] + "," + second[1..] : first;
    }

    private static byte[] NotJson(Hostile h, Shape shape) => h.Next(10) switch
    {
        0 => [],
        1 => Utf8(h.Pick([" ", "\r\n\t", "\0", "null", "true", "\"string\"", "0"])),
        2 => Utf8("<?xml version=\"1.0\"?><route><query>hi</query></route>"),
        3 => Utf8("query=hello&policy[costWeight]=1&allowedModels=a&allowedModels=b"),
        4 => Utf8("--fuzz\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\nhello\r\n--fuzz--\r\n"),
        5 => RandomBytes(h, h.Between(1, 4_096)),
        6 => Utf8(shape.Render(h, 0).Replace('"', '\'')),
        7 => Utf8("{\"a\":1}\n{\"b\":2}\n"),
        8 => Utf8("[" + shape.Render(h, 0) + "]"),
        _ => Utf8(shape.Render(h, 0)[..^1] + ",/* comment */ }"),
    };

    private static byte[] RandomBytes(Hostile h, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)h.Next(256);
        }

        return bytes;
    }

    private static string QueryString(Hostile h)
    {
        var parts = Enumerable.Range(0, h.Between(1, 6)).Select(_ => h.Next(6) switch
        {
            0 => "id=" + Uri.EscapeDataString(Truncate(h.String(), 500)),
            1 => "a[]=1&a[]=2&a=3",
            2 => "%00=%00&%ff=%fe&x=%c0%af",
            3 => "top=" + new string('9', h.Between(10, 400)),
            4 => "q=" + new string('x', h.Pick([100, 4_000, 7_000, 9_000])),
            _ => Uri.EscapeDataString(Truncate(h.Key(), 200)) + "=" + Uri.EscapeDataString(Truncate(h.String(), 200)),
        });
        return string.Join("&", parts);
    }

    /// <summary>A job id for GET /api/aggregate/{id}: real, random, or hostile (traversal, control characters, huge, odd percent-encoding).</summary>
    private static string JobId(Hostile h, FuzzTargets targets) => h.Next(8) switch
    {
        0 when targets.JobIds.Count > 0 => h.Pick(targets.JobIds),
        1 => h.Pick(["..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e", "..%5c..%5cwindows", "%00", "%0d%0aSet-Cookie:%20a=1", "%ff%fe%fd", "%c0%ae%c0%ae", "%252e%252e%252f", "%E2%80%AE", "%ED%A0%80", "%F4%90%80%80"]),
        2 => Uri.EscapeDataString(Truncate(h.String(), 3_000)),
        3 => new string('j', h.Pick([200, 2_000, 7_000, 12_000])),
        4 => h.Pick(["job'--", "*", "~", "%20", "CON", "a;b=c", "a,b", "{id}", "%7Bid%7D", "null", "undefined", "0", "-1", "1e309"]),
        5 => string.Concat(Enumerable.Range(0, h.Between(1, 50)).Select(_ => "%" + h.Next(256).ToString("X2", CultureInfo.InvariantCulture))),
        6 => Uri.EscapeDataString(h.Key()),
        _ => h.Id(),
    };

    private static string RequestId(Hostile h, FuzzTargets t) =>
        t.RequestIds.Count > 0 && h.Chance(0.6) ? h.Pick(t.RequestIds) : h.Chance(0.5) ? h.Id() : Truncate(h.String(), 300);

    /// <summary>Header abuse HttpClient can send: long values, many headers, odd Accept, forged forwarding, non-ASCII bytes.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> HeaderAbuse(Hostile h)
    {
        var headers = new List<KeyValuePair<string, string>>();
        for (var n = h.Between(1, 4); n > 0; n--)
        {
            switch (h.Next(12))
            {
                case 0:
                    headers.Add(new("X-Fuzz-Long", new string('v', h.Pick([1_000, 8_000, 20_000, 40_000]))));
                    break;
                case 1:
                    headers.AddRange(Enumerable.Range(0, h.Pick([20, 60, 99, 150])).Select(i => new KeyValuePair<string, string>($"X-Fuzz-{i}", i.ToString(CultureInfo.InvariantCulture))));
                    break;
                case 2:
                    headers.Add(new("Accept", h.Pick(["text/html", "application/xml", "image/png", "*/*;q=0", "application/problem+json;q=0", "garbage/", ";;;", "text/*", "application/json", ""])));
                    break;
                case 3:
                    headers.Add(new("Authorization", h.Pick(["Bearer " + new string('e', 5_000), "Bearer a.b.c", "Basic Og==", "Bearer", "Negotiate YII=", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."])));
                    break;
                case 4:
                    headers.Add(new("X-Forwarded-For", h.Pick(["127.0.0.1, ::1, evil", "999.999.999.999", "unknown", new string(',', 3_000)])));
                    headers.Add(new("X-Forwarded-Host", "evil.test"));
                    headers.Add(new("X-Forwarded-Proto", "gopher"));
                    break;
                case 5:
                    headers.Add(new("X-HTTP-Method-Override", h.Pick(["DELETE", "PUT", "TRACE"])));
                    headers.Add(new("x-functions-key", h.Pick(["", " ", new string('k', 6_000), "key\u0001", "../../key", "caf\u00e9"])));
                    break;
                case 6:
                    headers.Add(new("Cookie", string.Join("; ", Enumerable.Range(0, h.Between(10, 500)).Select(i => $"c{i}={new string('x', 20)}"))));
                    break;
                case 7:
                    headers.Add(new("X-Fuzz-Utf8", h.Pick(["caf\u00e9", "\u202e\u200b", "\ud83d\ude00", "\u00ff\u00fe", "日本語"])));
                    break;
                case 8:
                    headers.Add(new("Accept-Encoding", h.Pick(["gzip, deflate, br, zstd", "*;q=0", "identity;q=0", "x-evil"])));
                    headers.Add(new("Content-Encoding", h.Pick(["gzip", "br", "deflate", "x-evil"])));
                    break;
                case 9:
                    headers.Add(new("Expect", h.Pick(["100-continue", "200-ok", "x"])));
                    break;
                case 10:
                    headers.Add(new("Range", h.Pick(["bytes=0-0", "bytes=-1", "bytes=999999999-", "lines=1-2"])));
                    headers.Add(new("If-None-Match", "*"));
                    break;
                default:
                    headers.Add(new("User-Agent", h.Pick([new string('U', 10_000), "() { :; }; echo vulnerable", "\t"])));
                    headers.Add(new("Referer", "javascript:alert(1)"));
                    break;
            }
        }

        return headers;
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
