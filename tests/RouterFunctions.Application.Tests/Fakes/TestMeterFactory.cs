using System.Diagnostics.Metrics;

namespace RouterFunctions.Application.Tests.Fakes;

/// <summary>Meters for <see cref="RouterTelemetry"/> without a host: each test's own, disposed with it.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    /// <summary>Whether <paramref name="meter"/> is one of this factory's (so a listener hears this test's instruments only).</summary>
    public bool Owns(Meter meter) => _meters.Contains(meter);

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
