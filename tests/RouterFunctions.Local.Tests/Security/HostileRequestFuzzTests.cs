using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using RouterFunctions.Messaging.Local;
using RouterFunctions.Testing;

namespace RouterFunctions.Local.Tests.Security;

/// <summary>
/// Issue 5, Security: at least 1,000 generated malformed and hostile requests at every endpoint (the HTTP API, the
/// OpenAI-compatible routes; the host's function invocations are the workers app's now, not served here), on real Kestrel. The contract: no 5xx,
/// every 4xx the app answers is ProblemDetails, and afterwards the app is still healthy and still routes.
/// The run is a function of its seed (FUZZ_SEED, else a fixed default), printed with the figures.
/// </summary>
/// <remarks>
/// 404 and 405 are ProblemDetails too (UseStatusCodePages writes them through the ProblemDetails service, whatever
/// the Accept header). The only bodiless 4xx allowed are Kestrel's own refusals of requests built to provoke them
/// (request line over 8 KiB, header block over 32 KiB or 100 headers, malformed HTTP), which no app code sees; a HEAD
/// answer has no body by definition, so only its status is checked.
/// </remarks>
[Collection(AppCollection.Name)]
public sealed class HostileRequestFuzzTests(RouterAppFixture fixture)
{
    public static readonly string[] Surface =
    [
        "/", "/api/route", "/api/feedback", "/api/retrain", "/api/retrains", "/api/profiles/current", "/api/health", "/v1/chat/completions",
        "/api/v1/chat/completions", "/v1/models", "/api/v1/models", "/api/aggregate", "/api/aggregate/{id}", "methods", "unknown-routes", "raw-http",
    ];

    [Fact]
    public async Task A_thousand_hostile_requests_get_no_5xx_only_ProblemDetails_4xx_and_leave_the_app_healthy()
    {
        await using var app = new FuzzApp(fixture);
        await app.InitializeAsync();
        var seed = FuzzRun.Seed();
        var requests = FuzzCases.All(seed, await app.TargetsAsync());

        Assert.True(requests.Count >= 1_000, $"only {requests.Count} requests");
        Assert.All(Surface, e => Assert.Contains(requests, r => r.Endpoint == e));
        await FuzzRun.RunAndAssertAsync(app, requests, seed, "local storage");
    }

    /// <summary>
    /// The endpoints whose ids become Table Storage keys (job ids, request ids), on Azurite: keys may not
    /// hold '/', '\', '#', '?' or control characters, and the service refuses them; a hostile id must still be a 4xx.
    /// </summary>
    [Fact]
    public async Task Hostile_ids_on_Azure_Table_storage_get_no_5xx_either()
    {
        await using var azurite = await AzuriteProcess.TryStartAsync();
        if (azurite is null)
        {
            Assert.Skip("Azurite is not installed (.ci/run installs it).");
        }

        await using var app = new FuzzApp(fixture, new()
        {
            ["Storage:Mode"] = "Azure",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = "fuzz" + Guid.NewGuid().ToString("N")[..8],
        });
        await app.InitializeAsync();
        var seed = FuzzRun.Seed();
        string[] keyed = ["/api/aggregate/{id}", "/api/feedback", "/api/aggregate", "/api/route", "/v1/chat/completions"];
        var requests = FuzzCases.All(seed, await app.TargetsAsync(), keyed.Contains, scale: 0.5);

        await FuzzRun.RunAndAssertAsync(app, requests, seed, "Azure Table storage (Azurite)");
    }
}

/// <summary>Runs the requests, prints the figures (output helper, console, and a test warning), and asserts the contract.</summary>
internal static class FuzzRun
{
    private const int DefaultSeed = 20_251_105;

    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;

    public static async Task RunAndAssertAsync(FuzzApp app, IReadOnlyList<FuzzRequest> requests, int seed, string storage)
    {
        var runner = new FuzzRunner(app.Address, app.Client);
        var clock = Stopwatch.StartNew();
        await runner.RunAsync(requests, parallelism: 4, TestContext.Current.CancellationToken);
        clock.Stop();
        var settled = !app.Local || await app.QueuesSettleAsync(TimeSpan.FromSeconds(30));

        var figures = $"[fuzz] on {storage}\n" + runner.Figures(seed, clock.Elapsed);
        var violations = runner.Results.Where(r => r.Violation is not null).OrderBy(r => r.Request.Index).ToList();
        // Whatever reached the exception handler other than Kestrel's request errors is what a 500 came from: in full.
        var errors = app.Errors.Entries.GroupBy(e => e.Length > 700 ? e[..700] : e).Select(g => $"[fuzz] ERROR logged {g.Count()}×: {g.Key}\n");
        var report = figures
            + $"[fuzz] Kestrel request errors (body over the limit, bad chunking, too slow) answered as 4xx ProblemDetails: {app.Errors.RequestErrors}\n"
            + string.Concat(violations.Take(40).Select(v => $"[fuzz] VIOLATION {v.Violation}\n         request {v.Request.Describe()}\n"))
            + string.Concat(errors.Take(20));
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);

        // VSTest shows neither the console nor the output helper of a passing test (only with --logger
        // "console;verbosity=detailed"), but it does show a test's warnings: the headline figures go there too.
        TestContext.Current.AddWarning(string.Join("\n", figures.Split('\n').Take(5)));

        Assert.Equal(requests.Count, runner.Results.Count);
        Assert.True(violations.Count == 0, $"{violations.Count} of {requests.Count} answers broke the contract:\n{report}");
        Assert.Equal(0, runner.Results.Count(r => r.Response.Status >= 500));

        // Still healthy: the background queues settled with nothing dead-lettered, health answers, a plain query routes.
        Assert.True(settled, "the in-process queues did not settle within 30 s of the run");
        Assert.All(app.Get<LocalQueues>().All, q => Assert.Empty(q.DeadLetters));
        using var health = await app.Client.GetAsync(new Uri("/api/health", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var routed = await app.Client.PostAsJsonAsync("/api/route", new { query = "What is the capital of France?" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
    }
}
