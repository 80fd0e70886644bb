using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RouterFunctions.Workers.Tests.Functions;

/// <summary>An app of this class's own, with the seed a first start saves, and no feedback: every retrain keeps v1.</summary>
public sealed class RetrainApp(WorkersFixture fixture) : IAsyncLifetime
{
    public WorkersApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await WorkersApp.StartAsync(fixture, seed: true);

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// POST /RetrainProfiles (Service Bus trigger on "retrain") with the host's payloads. (The schedule's timer is a
/// function of the isolated Functions app now: it puts a request on this queue.)
/// </summary>
[Collection(WorkersCollection.Name)]
public sealed class RetrainProfilesContractTests(RetrainApp host, WorkersFixture fixture) : IClassFixture<RetrainApp>
{
    private const string Function = "RetrainProfiles";
    private const string Request = """{"reason":"volume: 500 feedback events on profile v1","profileVersion":1}""";

    private WorkersApp App => host.App;

    public static TheoryData<BodyEncoding> Encodings => [BodyEncoding.JsonString, BodyEncoding.DoubleEncoded, BodyEncoding.Base64, BodyEncoding.RawObject];

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task A_retrain_message_runs_a_retrain_and_returns_its_outcome(BodyEncoding encoding)
    {
        var result = (await App.InvokeAsync(Function, HostPayloads.ServiceBus(Function, HostPayloads.Encode(Request, encoding), Guid.NewGuid().ToString(), "1"))).AssertSucceeded();

        var outcome = result.Body.GetProperty("ReturnValue");
        Assert.Equal("volume: 500 feedback events on profile v1", outcome.GetProperty("reason").GetString());
        Assert.Equal(1, outcome.GetProperty("currentVersion").GetInt32());
        Assert.Equal(JsonValueKind.Null, outcome.GetProperty("publishedVersion").ValueKind);
        Assert.StartsWith("kept: only 0 held-out feedback events", outcome.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Equal(outcome.GetProperty("why").GetString(), Assert.Single(result.Logs));
        Assert.Contains(await App.RetrainsAsync(), o => o.Id == outcome.GetProperty("id").GetString());
        Assert.Equal(1, await App.CurrentVersionAsync());
        Assert.Empty(App.Sender.Sent);
    }

    [Fact]
    public async Task Several_retrain_messages_in_one_invocation_run_one_retrain_naming_each_reason()
    {
        var before = (await App.RetrainsAsync()).Count;
        var payload = HostPayloads.ServiceBusMany(
            Function,
            [HostPayloads.Encode("""{"reason":"drift: x","profileVersion":1}""", BodyEncoding.JsonString), HostPayloads.Encode(Request, BodyEncoding.DoubleEncoded), JsonValue.Create("not json")!],
            ["a", "b", "c"],
            ["1", "1", "2"]);

        var result = (await App.InvokeAsync(Function, payload)).AssertSucceeded();

        Assert.Equal("drift: x; volume: 500 feedback events on profile v1; requested", result.ReturnValue.GetProperty("reason").GetString());
        Assert.Equal(before + 1, (await App.RetrainsAsync()).Count);
    }

    [Fact]
    public async Task The_same_request_twice_in_one_invocation_is_named_once()
    {
        var payload = HostPayloads.ServiceBusMany(Function, [JsonValue.Create(Request)!, HostPayloads.Encode(Request, BodyEncoding.Base64)], ["a", "b"], ["1", "1"]);

        var result = (await App.InvokeAsync(Function, payload)).AssertSucceeded();

        Assert.Equal("volume: 500 feedback events on profile v1", result.ReturnValue.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task With_no_seed_and_no_feedback_a_retrain_keeps_the_profile_and_says_why()
    {
        // A store whose first profile was imported from a file has no seed examples: nothing to train a candidate on.
        await using var app = await WorkersApp.StartAsync(fixture);

        var result = await app.InvokeAsync(Function, HostPayloads.ServiceBus(Function, Request, "m-1", "1"));

        Assert.True(result.Status == HttpStatusCode.OK, $"{(int)result.Status}: {result.Text}");
        var outcome = result.Body.GetProperty("ReturnValue");
        Assert.Equal(JsonValueKind.Null, outcome.GetProperty("publishedVersion").ValueKind);
        Assert.StartsWith("kept", outcome.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await app.CurrentVersionAsync());
    }
}
