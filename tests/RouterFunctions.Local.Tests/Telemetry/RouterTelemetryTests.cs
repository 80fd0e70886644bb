using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RouterFunctions.Application;

namespace RouterFunctions.Local.Tests.Telemetry;

/// <summary>Routing emits the router's metrics: latency by stage, the cache tier, and the decision per model.</summary>
[Collection(AppCollection.Name)]
public sealed class RouterTelemetryTests(RouterAppFixture fixture)
{
    [Fact]
    public async Task A_routed_query_records_latency_per_stage_the_cache_tier_and_the_decision()
    {
        await using var app = await TestApp.StartAsync(fixture);
        var meters = app.Get<IMeterFactory>(); // this app's meters only: other tests' apps may be routing meanwhile
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RouterTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.Start();
        var query = $"How far is the Moon from the Earth? {Guid.NewGuid()}";

        var first = await app.RouteAsync(query);
        await app.RouteAsync(query);

        var mine = measurements.ToList();
        Assert.All(mine.Where(m => m.Instrument == "router.route.duration"), m => Assert.True(m.Value >= 0));
        Assert.Equal(["embed", "embed", "score", "score", "total", "total"],
            mine.Where(m => m.Instrument == "router.route.duration").Select(m => (string)m.Tags["stage"]!).Order());
        Assert.Equal(["memory", "miss"], mine.Where(m => m.Instrument == "router.embedding.lookups").Select(m => (string)m.Tags["tier"]!).Order());
        Assert.All(mine.Where(m => m.Instrument == "router.decisions"), m => Assert.Equal(first.Model, m.Tags["model"]));
        Assert.Equal(2, mine.Count(m => m.Instrument == "router.decisions"));
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            result[key] = value;
        }

        return result;
    }
}
