using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RouterFunctions.Application;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Messaging;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Local.Tests;

/// <summary>A routed request as POST /api/route answered it.</summary>
public sealed record Routed(string RequestId, string Model, int Cluster, int ProfileVersion, string Storage, string Query);

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

    /// <summary>
    /// One delivery of a feedback message to the IngestFeedback consumer, as the dispatcher (or the deployed workers
    /// app) makes it: for tests that need to choose the delivery count or see the failure the queue would retry on.
    /// </summary>
    public Task<IngestResult> IngestAsync(string body, string messageId, int deliveryCount) =>
        Get<IngestFeedback>().HandleAsync(new QueueDelivery(body, messageId, deliveryCount), CancellationToken.None);

    /// <summary>A feedback event as the feedback queue carries it (camelCase JSON).</summary>
    public static string FeedbackEventJson(string id, string requestId, double score, string? model = null) =>
        JsonSerializer.Serialize(new { id, requestId, score, model, receivedAt = DateTimeOffset.UtcNow });

    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Waits until the in-process queues have settled everything sent so far (nothing waiting, nothing being handled).</summary>
    public Task QueuesSettledAsync(int seconds = 30)
    {
        var queues = Get<LocalQueues>();
        return EventuallyAsync(() => Task.FromResult(queues.All.All(q => q.Pending == 0)), "the in-process queues to settle", seconds);
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

    /// <summary>Weighted feedback count over every model and cluster: each counted event adds 1.</summary>
    public async Task<double> TotalCountAsync() => (await StatsAsync()).Values.Sum(cells => cells.Sum(c => c.Count));

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
