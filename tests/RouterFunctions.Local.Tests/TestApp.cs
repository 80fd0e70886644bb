using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Application;

namespace RouterFunctions.Local.Tests;

/// <summary>A routed request as POST /api/route answered it.</summary>
public sealed record Routed(string RequestId, string Model, int Cluster, int ProfileVersion, string Storage, string Query);

/// <summary>A host invocation's answer: the HTTP status and the JSON body ({"Outputs", "Logs", "ReturnValue"} on success).</summary>
public sealed record Invocation(HttpStatusCode Status, JsonElement Body, string Text)
{
    public JsonElement Outputs => Body.GetProperty(nameof(Outputs));

    public IReadOnlyList<string> Logs => [.. Body.GetProperty(nameof(Logs)).EnumerateArray().Select(l => l.GetString()!)];

    public bool HasOutput(string binding) => Outputs.TryGetProperty(binding, out _);

    /// <summary>Asserts the host's success contract: 2xx and an object with Outputs (object), Logs (array) and ReturnValue.</summary>
    public Invocation AssertSucceeded()
    {
        Assert.True(Status == HttpStatusCode.OK, $"{(int)Status}: {Text}");
        Assert.Equal(JsonValueKind.Object, Body.GetProperty(nameof(Outputs)).ValueKind);
        Assert.Equal(JsonValueKind.Array, Body.GetProperty(nameof(Logs)).ValueKind);
        Assert.True(Body.TryGetProperty("ReturnValue", out _), Text);
        return this;
    }
}

/// <summary>
/// An app of the test's own: its own store (in memory unless a test gives <c>Storage:LocalDirectory</c> or Azure
/// settings), started on the fixture's profile file, with helpers for the HTTP surface and the stores behind it.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private TestApp(RouterAppFactory factory)
    {
        Factory = factory;
        Client = factory.CreateClient();
    }

    public RouterAppFactory Factory { get; }

    public HttpClient Client { get; }

    public RoutingProfile Profile => Get<ProfileHolder>().Current?.Profile ?? throw new InvalidOperationException("no profile loaded");

    /// <summary>
    /// Starts an app whose first profile is the fixture's; with <paramref name="seed"/> the store also gets the
    /// profile's training examples as the retraining seed, as a first start that trained from data would save them.
    /// </summary>
    public static async Task<TestApp> StartAsync(
        RouterAppFixture fixture,
        Dictionary<string, string?>? settings = null,
        bool seed = false,
        Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?> { ["Router:ProfilePath"] = fixture.ProfilePath };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var app = new TestApp(new RouterAppFactory(all, services));
        try
        {
            var health = await RouterAppFactory.WaitUntilReadyAsync(app.Client, seconds: 60);
            Assert.True(health.GetProperty("status").GetString() == "ready", health.ToString());
            if (seed)
            {
                await app.Get<ISeedStore>().SaveAsync(fixture.Seed, CancellationToken.None);
            }

            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public T Get<T>()
        where T : notnull => Factory.Services.GetRequiredService<T>();

    public Task<Routed> RouteAsync(string query) => RouteAsync(Client, query);

    public static async Task<Routed> RouteAsync(HttpClient client, string query)
    {
        using var response = await client.PostAsJsonAsync("/api/route", new { query });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"route: {(int)response.StatusCode} {text}");
        var body = JsonDocument.Parse(text).RootElement;
        return new Routed(
            body.GetProperty("requestId").GetString()!,
            body.GetProperty("model").GetString()!,
            body.GetProperty("cluster").GetInt32(),
            body.GetProperty("profileVersion").GetInt32(),
            body.GetProperty("storage").GetString()!,
            query);
    }

    public Task<Invocation> InvokeAsync(string function, JsonNode payload) => InvokeAsync(Client, function, payload);

    /// <summary>POST /{function} with the host's invocation payload, as the Functions host calls a custom handler.</summary>
    public static async Task<Invocation> InvokeAsync(HttpClient client, string function, JsonNode payload)
    {
        using var content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/" + function, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            body = default;
        }

        return new Invocation(response.StatusCode, body, text);
    }

    public async Task<JsonElement> GetJsonAsync(string path) => await Client.GetFromJsonAsync<JsonElement>(path);

    public async Task<List<FeedbackEvent>> StoredFeedbackAsync()
    {
        var events = new List<FeedbackEvent>();
        await foreach (var e in Get<IFeedbackStore>().ListAsync(CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }

    public async Task<List<ParkedMessage>> ParkedAsync()
    {
        var parked = new List<ParkedMessage>();
        await foreach (var p in Get<IParkingLot>().ListAsync(CancellationToken.None))
        {
            parked.Add(p);
        }

        return parked;
    }

    public async Task<List<RetrainOutcome>> RetrainsAsync()
    {
        var outcomes = new List<RetrainOutcome>();
        await foreach (var o in Get<IRetrainLog>().ListAsync(CancellationToken.None))
        {
            outcomes.Add(o);
        }

        return outcomes;
    }

    /// <summary>The live statistics of the loaded profile's version: cluster → cells indexed by model.</summary>
    public Task<IReadOnlyDictionary<int, CellStats[]>> StatsAsync()
    {
        var profile = Profile;
        return Get<IStatsStore>().ReadAsync(profile.Version, profile.Centroids.Count, profile.Models.Count, CancellationToken.None);
    }

    /// <summary>Weighted feedback count of one model over all clusters: each event adds its decision's weights, which sum to 1.</summary>
    public async Task<double> CountAsync(string model)
    {
        var m = Profile.IndexOf(model);
        return (await StatsAsync()).Values.Sum(cells => m < cells.Length ? cells[m].Count : 0);
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {seconds} s waiting for {what}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
