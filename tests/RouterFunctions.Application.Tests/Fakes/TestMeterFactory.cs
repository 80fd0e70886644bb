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

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
