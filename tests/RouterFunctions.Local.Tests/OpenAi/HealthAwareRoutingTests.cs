using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RouterFunctions.Application;
using RouterFunctions.Chat;

namespace RouterFunctions.Local.Tests.OpenAi;

/// <summary>
/// Health-aware routing over HTTP: two of the profile's models configured against one <see cref="ScriptedBackend"/>,
/// their circuit breakers on a fake clock. A model that keeps failing opens its circuit after five failures and is then
/// left out of /api/route and /v1/chat/completions without being called, with the reason in the answers and in
/// /api/health and /api/stats; after the break one probe brings it back. When both are open, a chat is escalated
/// (and answered), not refused.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HealthAwareRoutingTests(RouterAppFixture fixture) : IAsyncLifetime
{
    private const string Question = "What is the capital of Australia?";

    private static readonly DateTimeOffset Start = new(2025, 6, 2, 9, 30, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ScriptedBackend _backend = new();
    private HttpClient? _backendClient;
    private TestApp _app = null!;
    private string[] _models = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var profile = fixture.Factory.Services.GetRequiredService<ProfileHolder>().Current?.Profile
            ?? throw new InvalidOperationException("the fixture's app has no profile");
        var configured = profile.Models.Take(2).ToList();
        _models = [.. configured.Select(m => m.Name)];
        var settings = new Dictionary<string, string?>
        {
            ["Feedback:RetrainAfterEvents"] = "1000000",
            ["Feedback:DriftMinCount"] = "1000000",
        };
        foreach (var (key, value) in ScriptedBackend.ModelSettings(configured))
        {
            settings[key] = value;
        }

        _backendClient = new HttpClient(_backend, disposeHandler: false);
        var backendClient = _backendClient;
        _app = await TestApp.StartAsync(fixture, settings, services: s =>
        {
            // The breakers on the test's clock (the rest of the app on the real one), and the models sent to the script.
            s.AddSingleton(sp => new BackendHealthMonitor(
                _models, sp.GetRequiredService<IOptions<BreakerOptions>>().Value, _time, sp.GetRequiredService<ILogger<BackendHealthMonitor>>()));
            s.AddSingleton(sp => new ChatBackends(
                sp.GetRequiredService<IOptions<ChatModelsOptions>>().Value.Models, backendClient, health: sp.GetRequiredService<BackendHealthMonitor>()));
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _backendClient?.Dispose();
        _backend.Dispose();
    }

    [Fact]
    public async Task A_failing_model_is_routed_around_without_being_called_then_probed_after_the_break_and_routed_to_again()
    {
        var preferred = (await RouteAsync(_models)).GetProperty("model").GetString()!;
        var other = Assert.Single(_models, m => m != preferred);
        _backend.Fail(preferred, HttpStatusCode.ServiceUnavailable);

        for (var i = 0; i < 5; i++)
        {
            var failedOver = await ChatAsync();
            failedOver.AssertOk();
            Assert.Equal(other, failedOver.Model);
        }

        Assert.Equal(5, _backend.Asked.Count(m => m == preferred));
        var health = await GetAsync("/api/health");
        var open = health.GetProperty("backends").GetProperty(preferred);
        Assert.Equal("open", open.GetProperty("state").GetString());
        Assert.Equal("circuit open: 5 failures in 30s (last: http 503)", open.GetProperty("reason").GetString());
        Assert.Equal(Start.AddSeconds(30), open.GetProperty("retryAt").GetDateTimeOffset());
        Assert.Equal("closed", health.GetProperty("backends").GetProperty(other).GetProperty("state").GetString());

        // Routing leaves it out, says why and until when, and does not call it.
        var routed = await RouteAsync(_models);
        Assert.Equal(other, routed.GetProperty("model").GetString());
        var excluded = Assert.Single(routed.GetProperty("excluded").EnumerateArray());
        Assert.Equal(preferred, excluded.GetProperty("model").GetString());
        Assert.Equal("circuit open: 5 failures in 30s (last: http 503)", excluded.GetProperty("reason").GetString());
        Assert.Equal(Start.AddSeconds(30), excluded.GetProperty("until").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, routed.GetProperty("escalated").ValueKind);
        _backend.Reset();
        _backend.Fail(preferred, HttpStatusCode.ServiceUnavailable);
        var around = await ChatAsync();
        around.AssertOk();
        Assert.Equal(other, around.Model);
        Assert.Equal(preferred, around.Header("x-router-excluded"));
        Assert.Null(around.Header("x-router-escalated"));
        Assert.Equal([other], _backend.Asked);
        var stats = await GetAsync("/api/stats");
        Assert.Equal("open", stats.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("model").GetString() == preferred).GetProperty("state").GetString());

        // After the break: one probe, which finds it well again.
        _time.Advance(TimeSpan.FromSeconds(30));
        _backend.Reset();
        Assert.Equal("half-open", (await GetAsync("/api/health")).GetProperty("backends").GetProperty(preferred).GetProperty("state").GetString());
        var probed = await ChatAsync();

        probed.AssertOk();
        Assert.Equal(preferred, probed.Model);
        Assert.Null(probed.Header("x-router-excluded"));
        Assert.Equal([preferred], _backend.Asked);
        Assert.Equal("closed", (await GetAsync("/api/health")).GetProperty("backends").GetProperty(preferred).GetProperty("state").GetString());
        Assert.Empty((await RouteAsync(_models)).GetProperty("excluded").EnumerateArray());
    }

    [Fact]
    public async Task When_every_configured_model_is_open_a_chat_is_escalated_to_the_one_open_longest_and_answered()
    {
        foreach (var model in _models)
        {
            _backend.Fail(model, HttpStatusCode.BadGateway);
        }

        for (var i = 0; i < 5; i++)
        {
            // Both fail: an honest 503 from the backends themselves, not from the router's exclusions.
            (await ChatAsync()).AssertProblem(HttpStatusCode.ServiceUnavailable);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        var health = (await GetAsync("/api/health")).GetProperty("backends");
        Assert.All(_models, m => Assert.Equal("open", health.GetProperty(m).GetProperty("state").GetString()));
        var first = _models.OrderBy(m => health.GetProperty(m).GetProperty("since").GetDateTimeOffset()).First();
        var routed = await RouteAsync(_models);
        Assert.Equal((first, "all backends open"), (routed.GetProperty("model").GetString(), routed.GetProperty("escalated").GetString()));
        Assert.Equal(_models.Order(), routed.GetProperty("excluded").EnumerateArray().Select(e => e.GetProperty("model").GetString()).Order());
        _backend.Reset();

        var escalated = await ChatAsync();

        escalated.AssertOk();
        Assert.Equal(first, escalated.Model);
        Assert.Equal("all backends open", escalated.Header("x-router-escalated"));
        Assert.Equal([first], _backend.Asked);
        Assert.Equal("closed", (await GetAsync("/api/health")).GetProperty("backends").GetProperty(first).GetProperty("state").GetString());
    }

    private async Task<JsonElement> RouteAsync(IReadOnlyList<string> allowedModels)
    {
        using var response = await _app.Client.PostAsJsonAsync("/api/route", new { query = Question, allowedModels }, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"route: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<ChatCall> ChatAsync()
    {
        using var response = await _app.Client.PostAsJsonAsync("/v1/chat/completions", ChatAppFixture.Ask("router", Question), Token);
        return await ChatCall.ReadAsync(response);
    }

    private Task<JsonElement> GetAsync(string path) => _app.GetJsonAsync(path);
}
