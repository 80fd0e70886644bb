using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using RouterFunctions.Application.Chat;
using RouterFunctions.Application.Routing;
using RouterFunctions.Application.Tests.Fakes;
using RouterFunctions.Chat;

namespace RouterFunctions.Application.Tests.Routing;

/// <summary>
/// Routing reads the backends' real circuit breakers (on the rig's fake clock): an open model is left out of
/// /api/route's and the chat's decisions, named with its reason and reopening time; it is probed after the break
/// and routed to again once it answers; when every candidate is open the decision is escalated, and says so.
/// </summary>
public sealed class HealthAwareRoutingTests : IDisposable
{
    private readonly UseCaseRig _rig = new();

    public HealthAwareRoutingTests()
    {
        _rig.UseProfile();
        _rig.Health = new BackendHealthMonitor(_rig.BackendModels, new BreakerOptions(), _rig.Time);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private BackendHealthMonitor Health => _rig.Health!;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task A_model_whose_circuit_is_open_is_left_out_of_the_route_and_named_with_its_reason_and_reopening_time()
    {
        var preferred = (await RouteAsync()).Decision.Model;
        var other = Other(preferred);
        await Breakers.OpenAsync(Health, preferred);

        var routed = await RouteAsync();

        Assert.Equal(other, routed.Decision.Model);
        Assert.Equal([other], routed.Decision.Candidates.Select(c => c.Model));
        Assert.Equal([new BackendExclusion(preferred, "circuit open: 5 failures in 30s (last: http 503)", _rig.Time.GetUtcNow().AddSeconds(30))], routed.Excluded);
        Assert.Null(routed.Escalated);
    }

    [Fact]
    public async Task After_the_break_the_model_is_routable_again_so_its_probe_can_be_sent()
    {
        var preferred = (await RouteAsync()).Decision.Model;
        await Breakers.OpenAsync(Health, preferred);
        _rig.Time.Advance(TimeSpan.FromSeconds(30));

        var routed = await RouteAsync();

        Assert.Equal(preferred, routed.Decision.Model);
        Assert.Empty(routed.Excluded);
    }

    [Fact]
    public async Task When_every_candidate_is_open_the_route_is_escalated_to_the_one_open_longest_and_says_so()
    {
        await Breakers.OpenAsync(Health, "dear");
        _rig.Time.Advance(TimeSpan.FromSeconds(5));
        await Breakers.OpenAsync(Health, "cheap");

        var routed = await RouteAsync();

        Assert.Equal("dear", routed.Decision.Model);
        Assert.Equal(BackendExclusions.AllOpen, routed.Escalated);
        Assert.Equal(["cheap", "dear"], routed.Excluded.Select(e => e.Model).Order());
    }

    [Fact]
    public async Task Only_the_asked_for_models_count_an_allowed_model_that_is_open_is_escalated_to()
    {
        await Breakers.OpenAsync(Health, "dear");

        var outcome = await _rig.RouteQuery().RouteAsync(new RouteCommand("How do I reverse a list?", null, null, null, ["dear"]), Token);

        Assert.True(outcome.Succeeded);
        Assert.Equal(("dear", BackendExclusions.AllOpen), (outcome.Value.Routed.Decision.Model, outcome.Value.Routed.Escalated));
        Assert.Equal(["dear"], outcome.Value.Routed.Excluded.Select(e => e.Model));
    }

    [Fact]
    public async Task A_backend_that_fails_five_times_is_not_called_by_the_next_chats_then_is_probed_after_the_break_and_is_back_on_recovery()
    {
        var backends = _rig.BackendModels.ToDictionary(m => m, m => new CountingBackend(m));
        var chat = Chat(backends);
        var preferred = (await RouteAsync()).Decision.Model;
        var other = Other(preferred);
        backends[preferred].Failing = true;

        for (var i = 0; i < 5; i++)
        {
            // Still routed to it (its circuit is closed): it fails, failover answers with the other model.
            var failedOver = await AskAsync(chat);
            Assert.Equal(other, failedOver.Model);
            Assert.Empty(failedOver.Route!.Excluded ?? []);
        }

        Assert.Equal(5, backends[preferred].Calls);
        var excluded = await AskAsync(chat);
        Assert.Equal(other, excluded.Model);
        Assert.Equal([preferred], excluded.Route!.Excluded!.Select(e => e.Model));
        Assert.Equal([other], excluded.Route.Candidates.Select(c => c.Model));
        await AskAsync(chat);
        Assert.Equal(5, backends[preferred].Calls);

        _rig.Time.Advance(TimeSpan.FromSeconds(30));
        backends[preferred].Failing = false;
        var probed = await AskAsync(chat);

        Assert.Equal(preferred, probed.Model);
        Assert.Equal(6, backends[preferred].Calls);
        Assert.Equal(BackendStates.Closed, Health.StateOf(preferred)!.State);
        Assert.Equal(preferred, (await AskAsync(chat)).Model);
    }

    [Fact]
    public async Task A_chat_whose_every_model_is_open_is_escalated_and_answered_never_refused()
    {
        var backends = _rig.BackendModels.ToDictionary(m => m, m => new CountingBackend(m));
        var chat = Chat(backends);
        await Breakers.OpenAsync(Health, "cheap");
        _rig.Time.Advance(TimeSpan.FromSeconds(5));
        await Breakers.OpenAsync(Health, "dear");

        var answer = await AskAsync(chat);

        Assert.Equal("cheap", answer.Model);
        Assert.Equal(BackendExclusions.AllOpen, answer.Route!.Escalated);
        Assert.Equal((1, 0), (backends["cheap"].Calls, backends["dear"].Calls));
        Assert.Equal(BackendStates.Closed, Health.StateOf("cheap")!.State);
        Assert.Equal(BackendStates.Open, Health.StateOf("dear")!.State);
    }

    [Fact]
    public async Task Transitions_are_counted_and_open_circuits_gauged_on_the_router_meter()
    {
        using var meters = new TestMeterFactory();
        using var telemetry = new RouterTelemetry(meters, Health);
        var transitions = new List<(string Model, string State)>();
        int? open = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RouterTelemetry.Name && meters.Owns(instrument.Meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) =>
        {
            if (i.Name == "router.backend.circuit.transitions")
            {
                transitions.Add(((string)Tag(tags, "model")!, (string)Tag(tags, "state")!));
            }
        });
        listener.SetMeasurementEventCallback<int>((i, v, _, _) =>
        {
            if (i.Name == "router.backend.circuits.open")
            {
                open = v;
            }
        });
        listener.Start();

        await Breakers.OpenAsync(Health, "cheap");
        listener.RecordObservableInstruments();
        var openWhileBroken = open;
        _rig.Time.Advance(TimeSpan.FromSeconds(30));
        using (var client = new CountingBackend("cheap").AsBuilder().UseCircuitBreaker(Health, "cheap").Build())
        {
            await client.GetResponseAsync("hi", cancellationToken: Token);
        }

        listener.RecordObservableInstruments();

        Assert.Equal(1, openWhileBroken);
        Assert.Equal(0, open);
        Assert.Equal([("cheap", "open"), ("cheap", "half-open"), ("cheap", "closed")], transitions);
    }

    private static object? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var (key, value) in tags)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    private string Other(string model) => Assert.Single(_rig.BackendModels, m => m != model);

    private async Task<Routed> RouteAsync()
    {
        var outcome = await _rig.RouteQuery().RouteAsync(new RouteCommand("How do I reverse a list?", null, null, null, null), Token);
        Assert.True(outcome.Succeeded, outcome.Succeeded ? null : outcome.Error.Detail);
        return outcome.Value.Routed;
    }

    /// <summary>The chat use case over the real routing client, each backend behind its circuit breaker.</summary>
    private ChatCompletions Chat(Dictionary<string, CountingBackend> backends)
    {
        var clients = backends.ToDictionary(b => b.Key, b => b.Value.AsBuilder().UseCircuitBreaker(Health, b.Key).Build());
        var routing = new RouterFunctions.Chat.RoutingChatClient(clients, _rig.ChatRouter(), new IgnoredFailures(), 3);
        return new ChatCompletions(routing, _rig.ChatRouter(), _rig.Profiles, _rig.Backends, _rig.Aggregation(), NullLogger<ChatCompletions>.Instance);
    }

    private static async Task<ChatAnswer> AskAsync(ChatCompletions chat)
    {
        var outcome = await chat.CompleteAsync(new ChatCommand("router", [new ChatMessage(ChatRole.User, "How do I reverse a list?")], new ChatOptions()), Token);
        Assert.True(outcome.Succeeded, outcome.Succeeded ? null : outcome.Error.Detail);
        return outcome.Value;
    }

    private sealed class IgnoredFailures : IModelFailureSink
    {
        public Task RecordFailureAsync(string? requestId, string model, Exception failure, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
