using System.Text;

namespace RouterFunctions.Local.Tests.Security;

/// <summary>The fuzz app (real Kestrel, local mode, stub backends) shared by a test class.</summary>
public sealed class FuzzAppFixture(RouterAppFixture fixture) : IAsyncLifetime
{
    internal FuzzApp App { get; } = new(fixture);

    public ValueTask InitializeAsync() => App.InitializeAsync();

    public ValueTask DisposeAsync() => App.DisposeAsync();
}

/// <summary>
/// The requests the fuzz suite found answered with a 500 or a non-ProblemDetails 4xx, fixed; each one pinned here so
/// that it stays fixed whatever seed the fuzz run uses.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HostileRegressionTests(FuzzAppFixture fixture) : IClassFixture<FuzzAppFixture>
{
    private const string Event = """{"id":"e1","requestId":"no-such-request","score":1,"receivedAt":"2026-01-02T03:04:05+00:00"}""";

    public static TheoryData<string> Cases =>
    [
        "AggregateStep: a message that is not JSON is dropped, not a 500",
        "IngestFeedback: fewer message ids than messages",
        "IngestFeedback: a delivery count of 0 is a first delivery (parks at ParkAfterDeliveries 1)",
        "Feedback invocation: invalid UTF-8 in the payload is a 400",
        "chat: an escaped unpaired surrogate in a text part is a 400",
        "chat: an escaped unpaired surrogate in stop is a 400",
        "route: a query holding U+FFFE routes",
        "404 with Accept: text/html is ProblemDetails",
        "405 with Accept: application/xml is ProblemDetails",
        "a chunk size that overflows is a 400 ProblemDetails",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_request_that_once_broke_the_contract_keeps_it(string name)
    {
        var (request, status, bodyHolds) = Case(name);

        var runner = new FuzzRunner(fixture.App.Address, fixture.App.Client);
        await runner.RunAsync([request], parallelism: 1, TestContext.Current.CancellationToken);

        var (_, response, violation, _) = Assert.Single(runner.Results);
        Assert.True(violation is null, $"{violation}\n{request.Describe()}");
        Assert.True(response.Status == status, $"expected {status}, got {response.Status}: {response.Body}");
        Assert.True(response.SeenByApp, "Kestrel answered, not the app");
        if (bodyHolds is not null)
        {
            Assert.Contains(bodyHolds, response.Body, StringComparison.Ordinal);
        }
    }

    private static (FuzzRequest Request, int Status, string? BodyHolds) Case(string name) => name switch
    {
        _ when name.StartsWith("AggregateStep", StringComparison.Ordinal) => (
            Post("/AggregateStep", """{"Data":{"msg":"not json"},"Metadata":{"MessageId":"\"m1\"","DeliveryCount":"1"}}"""), 200, "dropped message m1"),
        _ when name.StartsWith("IngestFeedback: fewer", StringComparison.Ordinal) => (
            Post("/IngestFeedback", """{"Data":{"msg":["{}","{}","{}"]},"Metadata":{"MessageIdArray":["\"a\""],"DeliveryCountArray":["1","1","1"]}}"""), 200, "parked"),
        _ when name.StartsWith("IngestFeedback: a delivery", StringComparison.Ordinal) => (
            Post("/IngestFeedback", "{\"Data\":{\"msg\":" + Hostile.Quote(Event) + "},\"Metadata\":{\"MessageId\":\"\\\"m0\\\"\",\"DeliveryCount\":\"0\"}}"), 200, "parked message m0"),
        _ when name.StartsWith("Feedback invocation", StringComparison.Ordinal) => (
            Post("/Feedback", [.. Encoding.UTF8.GetBytes("""{"Data":{"req":{"Body":"{\"requestId\":\"a"""), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("""\",\"score\":1}"}}}""")]), 400, null),
        _ when name.Contains("in a text part", StringComparison.Ordinal) => (
            Post("/v1/chat/completions", """{"model":"router","messages":[{"role":"user","content":[{"type":"text","text":"hi \ud800"}]}]}"""), 400, null),
        _ when name.Contains("in stop", StringComparison.Ordinal) => (
            Post("/v1/chat/completions", """{"model":"router","messages":[{"role":"user","content":"hi"}],"stop":"\udc00"}"""), 400, null),
        _ when name.StartsWith("route", StringComparison.Ordinal) => (
            Post("/api/route", "{\"query\":\"What is 2 + 2?\uFFFE\"}"), 200, "\"model\""),
        _ when name.StartsWith("404", StringComparison.Ordinal) => (
            new FuzzRequest(0, "regression", name, "GET", "/no/such/route") { Headers = [new("Accept", "text/html")] }, 404, null),
        _ when name.StartsWith("405", StringComparison.Ordinal) => (
            new FuzzRequest(0, "regression", name, "DELETE", "/api/health") { Headers = [new("Accept", "application/xml")] }, 405, null),
        _ => (
            new FuzzRequest(0, "regression", name, "RAW", "POST /api/route")
            {
                Raw = Encoding.ASCII.GetBytes("POST /api/route HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nffffffffffffffffff\r\n"),
            },
            400,
            "Bad chunk size data"),
    };

    private static FuzzRequest Post(string path, string json) => Post(path, Encoding.UTF8.GetBytes(json));

    private static FuzzRequest Post(string path, byte[] body) =>
        new(0, "regression", "regression", "POST", path) { Body = body, ContentType = "application/json" };
}
