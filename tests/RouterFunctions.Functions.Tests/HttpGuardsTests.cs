using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace RouterFunctions.Functions.Tests;

/// <summary>The worker middleware <see cref="HttpGuards"/>: body limit, per-caller rate limit, open health, timers untouched.</summary>
public sealed class HttpGuardsTests(FunctionsFixture fixture) : IAsyncLifetime
{
    private const int MaxBody = 2048;
    private const int Permits = 3;

    private FunctionsApp _app = null!;

    public async ValueTask InitializeAsync() =>
        // Not started: the guards need only their options, not a profile.
        _app = await FunctionsApp.StartAsync(fixture.ProfilePath, new()
        {
            ["Router:MaxRequestBodyBytes"] = MaxBody.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimit:PermitsPerMinute"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, start: false);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>Runs the guards on one invocation; returns whether they called the function, and the answer.</summary>
    private async Task<(bool Next, Answer Answer)> InvokeAsync(HttpGuards guards, string function, HttpCall call)
    {
        var next = false;
        await guards.Invoke(new TestFunctionContext(function, call.Context, _app.Services), _ =>
        {
            next = true;
            return Task.CompletedTask;
        });
        return (next, call.Answer());
    }

    private HttpCall Request(string key, string? json = "{\"query\":\"hello\"}")
    {
        var call = new HttpCall(_app.Services, "POST", "/api/route", json);
        call.Request.Headers["x-functions-key"] = key;
        return call;
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_without_calling_the_function()
    {
        var guards = _app.Get<HttpGuards>();
        using var call = Request("key-413", "{\"query\":\"" + new string('a', MaxBody) + "\"}");
        var (next, answer) = await InvokeAsync(guards, "Route", call);
        Assert.False(next);
        answer.AssertProblem(StatusCodes.Status413PayloadTooLarge);
    }

    [Fact]
    public async Task A_body_within_the_limit_reaches_the_function()
    {
        using var call = Request("key-ok");
        var (next, answer) = await InvokeAsync(_app.Get<HttpGuards>(), "Route", call);
        Assert.True(next);
        Assert.Equal(200, answer.Status);
        Assert.Empty(answer.Text);
    }

    [Fact]
    public async Task A_caller_over_its_permits_gets_a_429_with_retry_after_and_others_do_not()
    {
        var guards = _app.Get<HttpGuards>();
        for (var i = 0; i < Permits; i++)
        {
            using var allowed = Request("key-busy");
            Assert.True((await InvokeAsync(guards, "Route", allowed)).Next);
        }

        using var rejected = Request("key-busy");
        var (next, answer) = await InvokeAsync(guards, "Feedback", rejected);
        Assert.False(next);
        var problem = answer.AssertProblem(StatusCodes.Status429TooManyRequests);
        Assert.Contains($"More than {Permits} requests", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(int.Parse(answer.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture) > 0, answer.Header("Retry-After"));

        // The limit is per caller (function key): another key still gets through.
        using var other = Request("key-other");
        Assert.True((await InvokeAsync(guards, "Route", other)).Next);
    }

    [Fact]
    public async Task Health_is_not_rate_limited()
    {
        var guards = _app.Get<HttpGuards>();
        for (var i = 0; i < Permits * 3; i++)
        {
            using var health = new HttpCall(_app.Services, "GET", "/api/health");
            health.Request.Headers["x-functions-key"] = "key-health";
            Assert.True((await InvokeAsync(guards, "Health", health)).Next, $"health call {i + 1} was rejected");
        }

        // The same caller on a limited function has all its permits still.
        using var route = Request("key-health");
        Assert.True((await InvokeAsync(guards, "Route", route)).Next);
    }

    [Fact]
    public async Task A_timer_invocation_without_http_passes_through()
    {
        var next = false;
        var context = new TestFunctionContext("RetrainTimer", http: null, _app.Services);
        Assert.Null(context.GetHttpContext());
        await _app.Get<HttpGuards>().Invoke(context, _ =>
        {
            next = true;
            return Task.CompletedTask;
        });
        Assert.True(next);
    }

    [Fact]
    public void The_double_holds_the_http_context_where_the_integration_reads_it()
    {
        var http = new DefaultHttpContext();
        Assert.Same(http, new TestFunctionContext("Route", http, _app.Services).GetHttpContext());
    }
}
