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
    public static TheoryData<string> Cases =>
    [
        "feedback: invalid UTF-8 in the body is a 400",
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

        var (_, response, violation) = Assert.Single(runner.Results);
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
        _ when name.StartsWith("feedback", StringComparison.Ordinal) => (
            Post("/api/feedback", [.. Encoding.UTF8.GetBytes("""{"requestId":"a"""), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\",\"score\":1}")]), 400, null),
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
