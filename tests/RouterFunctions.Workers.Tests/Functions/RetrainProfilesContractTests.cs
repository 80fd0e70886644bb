using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RouterFunctions.Local.Tests.Functions;

/// <summary>An app of this class's own, with the seed a first start saves, and no feedback: every retrain keeps v1.</summary>
public sealed class RetrainApp(RouterAppFixture fixture) : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await TestApp.StartAsync(fixture, seed: true);

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>POST /RetrainProfiles (Service Bus trigger on "retrain") and /RetrainTimer with the host's payloads.</summary>
[Collection(AppCollection.Name)]
public sealed class RetrainProfilesContractTests(RetrainApp host, RouterAppFixture fixture) : IClassFixture<RetrainApp>
{
    private const string Function = "RetrainProfiles";
    private const string Request = """{"reason":"volume: 500 feedback events on profile v1","profileVersion":1}""";

    private TestApp App => host.App;

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
        Assert.Empty(result.Outputs.EnumerateObject());
        Assert.Contains(await App.RetrainsAsync(), o => o.Id == outcome.GetProperty("id").GetString());
        Assert.Equal(1, (await App.GetJsonAsync("/api/profiles/current")).GetProperty("version").GetInt32());
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

        Assert.Equal("drift: x; volume: 500 feedback events on profile v1; requested", result.Body.GetProperty("ReturnValue").GetProperty("reason").GetString());
        Assert.Equal(before + 1, (await App.RetrainsAsync()).Count);
    }

    [Fact]
    public async Task The_timer_function_retrains_on_schedule()
    {
        var payload = JsonNode.Parse("""
            {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-11-22T03:00:00","Next":"2026-11-23T03:00:00","LastUpdated":"2026-11-22T03:00:00"},"IsPastDue":false}},
             "Metadata":{"sys":{"MethodName":"RetrainTimer","UtcNow":"2026-11-23T03:00:00.01Z","RandGuid":"5d4c3b2a-0000-0000-0000-000000000000"}}}
            """)!;

        var result = (await App.InvokeAsync("RetrainTimer", payload)).AssertSucceeded();

        Assert.Equal("schedule", result.Body.GetProperty("ReturnValue").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task With_no_seed_and_no_feedback_a_retrain_keeps_the_profile_and_says_why()
    {
        // A store whose first profile was imported from a file has no seed examples: nothing to train a candidate on.
        await using var app = await TestApp.StartAsync(fixture);

        var result = await app.InvokeAsync(Function, HostPayloads.ServiceBus(Function, Request, "m-1", "1"));

        Assert.True(result.Status == HttpStatusCode.OK, $"{(int)result.Status}: {result.Text}");
        var outcome = result.Body.GetProperty("ReturnValue");
        Assert.Equal(JsonValueKind.Null, outcome.GetProperty("publishedVersion").ValueKind);
        Assert.StartsWith("kept", outcome.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await app.GetJsonAsync("/api/profiles/current")).GetProperty("version").GetInt32());
    }
}
