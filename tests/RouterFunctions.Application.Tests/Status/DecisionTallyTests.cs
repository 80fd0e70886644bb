using Microsoft.Extensions.Time.Testing;
using RouterFunctions.Application.Status;

namespace RouterFunctions.Application.Tests.Status;

public sealed class DecisionTallyTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 2, 9, 30, 10, TimeSpan.Zero));

    [Fact]
    public void Decisions_fall_into_per_minute_buckets_per_model_with_the_cost_saved()
    {
        var tally = new DecisionTally(_time);
        tally.Record(_time.GetUtcNow(), "cheap", 1e-4, 2e-3, "dear");
        tally.Record(_time.GetUtcNow().AddSeconds(40), "cheap", 1e-4, 2e-3, "dear");
        tally.Record(_time.GetUtcNow().AddSeconds(55), "dear", 2e-3, 2e-3, "dear");

        var snapshot = tally.Snapshot();
        Assert.Equal(3, snapshot.Decisions);
        Assert.Equal("dear", snapshot.BestSingleModel);
        Assert.Equal(2, snapshot.Minutes.Count);
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 9, 30, 0, TimeSpan.Zero), snapshot.Minutes[0].Minute);
        Assert.Equal(2, snapshot.Minutes[0].Decisions["cheap"]); // 9:30:10 and 9:30:50
        Assert.Equal(1, snapshot.Minutes[1].Decisions["dear"]); // 9:31:05
        Assert.False(snapshot.Minutes[1].Decisions.ContainsKey("cheap"));
        Assert.Equal(6e-3 - 2.2e-3, snapshot.BestSingleCost - snapshot.ChosenCost, 12);
    }

    [Fact]
    public void Minutes_older_than_the_window_are_dropped_but_totals_stay()
    {
        var tally = new DecisionTally(_time);
        tally.Record(_time.GetUtcNow(), "cheap", 1, 2);
        _time.Advance(TimeSpan.FromMinutes(DecisionTally.WindowMinutes - 1));
        tally.Record(_time.GetUtcNow(), "cheap", 1, 2);
        Assert.Equal(2, tally.Snapshot().Minutes.Count);

        _time.Advance(TimeSpan.FromMinutes(1));
        var snapshot = tally.Snapshot();
        Assert.Single(snapshot.Minutes);
        Assert.Equal(2, snapshot.Decisions);
    }

    [Fact]
    public void The_best_single_model_is_the_one_with_the_highest_global_mean_score()
    {
        Assert.Equal(1, DecisionTally.BestSingleModel(SampleProfiles.Small()));
    }

    [Fact]
    public async Task Routing_feeds_the_tally_once_per_decision()
    {
        using var rig = new UseCaseRig();
        var router = new Core.Routing.Router(rig.UseProfile());
        var tally = new DecisionTally(rig.Time);
        var routing = new RouterFunctions.Application.Routing.RoutingService(rig.Embedder, rig.Decisions, rig.Telemetry, rig.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<RouterFunctions.Application.Routing.RoutingService>.Instance, tally);
        var routed = await routing.RouteAsync(router, "hello", Core.Routing.RoutingPolicy.Default, null, CancellationToken.None);

        var snapshot = tally.Snapshot();
        Assert.Equal(1, snapshot.Decisions);
        Assert.Equal(1, snapshot.Minutes.Single().Decisions[routed.Decision.Model]);
        Assert.Equal("dear", snapshot.BestSingleModel);
    }
}
