using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RouterFunctions.Application;
using RouterFunctions.Application.Routing;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;
using RouterFunctions.Messaging;
using RouterFunctions.Testing.Doubles;

namespace RouterFunctions.Workers.Tests;

/// <summary>A decision the app's RoutingService made and recorded: what a feedback event refers to.</summary>
public sealed record Routed(string RequestId, string Model, int ProfileVersion, string Query);

/// <summary>A host invocation's answer: the HTTP status and the JSON body ({"Outputs", "Logs", "ReturnValue"} on success).</summary>
public sealed record Invocation(HttpStatusCode Status, JsonElement Body, string Text)
{
    public JsonElement Outputs => Body.GetProperty(nameof(Outputs));

    public IReadOnlyList<string> Logs => [.. Body.GetProperty(nameof(Logs)).EnumerateArray().Select(l => l.GetString()!)];

    public JsonElement ReturnValue => Body.GetProperty(nameof(ReturnValue));

    /// <summary>
    /// Asserts the host's success contract: 200 and a JSON object with Outputs (an object, empty: follow-ups go out
    /// through the SDK, not output bindings), Logs (an array of strings) and ReturnValue.
    /// </summary>
    public Invocation AssertSucceeded()
    {
        Assert.True(Status == HttpStatusCode.OK, $"{(int)Status}: {Text}");
        Assert.Equal(JsonValueKind.Object, Body.ValueKind);
        Assert.Equal(JsonValueKind.Object, Body.GetProperty(nameof(Outputs)).ValueKind);
        Assert.Empty(Body.GetProperty(nameof(Outputs)).EnumerateObject());
        Assert.Equal(JsonValueKind.Array, Body.GetProperty(nameof(Logs)).ValueKind);
        Assert.All(Body.GetProperty(nameof(Logs)).EnumerateArray(), l => Assert.Equal(JsonValueKind.String, l.ValueKind));
        Assert.True(Body.TryGetProperty(nameof(ReturnValue), out _), Text);
        return this;
    }
}

/// <summary>
/// The workers app as the Functions host runs it, in memory: local storage without a journal (unless a test gives
/// <c>Storage:LocalDirectory</c>), the fixture's profile file, and a <see cref="RecordingMessageSender"/> in place of
/// the Service Bus sender, so tests see what the consumers send. The Service Bus settings get a dummy connection
/// string only because the app validates them at start.
/// </summary>
public sealed class WorkersAppFactory(Dictionary<string, string?> settings, RecordingMessageSender sender, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public const string DummyServiceBus = "Endpoint=sb://routerfn-test.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=dGVzdA==";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureTestServices(s =>
        {
            s.RemoveAll<IMessageSender>();
            s.AddSingleton<IMessageSender>(sender);
            services?.Invoke(s);
        });
        builder.UseSetting("Storage:Mode", "Local");
        builder.UseSetting("Storage:LocalDirectory", "");
        builder.UseSetting("Storage:ProfilePollSeconds", "0.2");
        builder.UseSetting("ServiceBusConnection:connectionString", DummyServiceBus);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>A workers app of the test's own, started on the fixture's profile, with helpers for its stores and what it sent.</summary>
public sealed class WorkersApp : IAsyncDisposable
{
    private WorkersApp(WorkersAppFactory factory, RecordingMessageSender sender)
    {
        Factory = factory;
        Sender = sender;
        Client = factory.CreateClient();
    }

    public WorkersAppFactory Factory { get; }

    public HttpClient Client { get; }

    /// <summary>Every message the consumers sent, by queue.</summary>
    public RecordingMessageSender Sender { get; }

    public RoutingProfile Profile => Get<ProfileHolder>().Current?.Profile ?? throw new InvalidOperationException("no profile loaded");

    /// <summary>
    /// Starts an app whose first profile is the fixture's, and waits until it is loaded; with <paramref name="seed"/> the
    /// store also gets the profile's training examples as the retraining seed, as a first start that trained would save them.
    /// </summary>
    public static async Task<WorkersApp> StartAsync(
        WorkersFixture fixture,
        Dictionary<string, string?>? settings = null,
        bool seed = false,
        Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?> { ["Router:ProfilePath"] = fixture.ProfilePath };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var sender = new RecordingMessageSender();
        var app = new WorkersApp(new WorkersAppFactory(all, sender, services), sender);
        try
        {
            var startup = app.Get<ProfileStartup>();
            await startup.Completion.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(startup.Status == "ready", startup.Status);
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

    /// <summary>
    /// Routes <paramref name="query"/> through the app's RoutingService, which embeds it (512 dimensions, the real
    /// model) and records the decision: the workers app has no /api/route, the decision log is what feedback refers to.
    /// </summary>
    public async Task<Routed> RouteAsync(string query)
    {
        var router = Get<ProfileHolder>().Current ?? throw new InvalidOperationException("no profile loaded");
        var routed = await Get<RoutingService>().RouteAsync(router, query, RoutingPolicy.Default, null, CancellationToken.None);
        Assert.NotNull(await Get<IDecisionLog>().GetAsync(routed.RequestId, CancellationToken.None));
        return new Routed(routed.RequestId, routed.Decision.Model, routed.Decision.ProfileVersion, query);
    }

    public Task<Invocation> InvokeAsync(string function, JsonNode payload) => PostAsync(function, payload.ToJsonString());

    /// <summary>POST /{function} with <paramref name="body"/>, as the Functions host calls a custom handler.</summary>
    public async Task<Invocation> PostAsync(string function, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync(new Uri("/" + function, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement parsed;
        try
        {
            parsed = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            parsed = default;
        }

        return new Invocation(response.StatusCode, parsed, text);
    }

    public async Task<JsonElement> GetJsonAsync(string path) => await Client.GetFromJsonAsync<JsonElement>(path);

    /// <summary>The version the store's current-profile pointer names: what every router loads.</summary>
    public async Task<int?> CurrentVersionAsync() => (await Get<IProfileStore>().GetCurrentAsync(CancellationToken.None))?.Version;

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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
