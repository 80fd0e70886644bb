namespace RouterFunctions.Chat;

/// <summary>
/// How a <see cref="ChatModelKind.Simulated"/> model behaves (the "Simulation" object of its "Models" entry). Failures
/// are drawn per call from <see cref="Seed"/>, the model and the call's number, so a run is reproducible and the rates
/// hold over many calls.
/// </summary>
public sealed class SimulationOptions
{
    public const int DefaultLatencyMs = 20;

    /// <summary>Wait before answering (before the first update when streaming), on the injected clock.</summary>
    public int LatencyMs { get; set; } = DefaultLatencyMs;

    /// <summary>Fraction of calls (0 to 1) that fail with HTTP 429, as a throttled provider would.</summary>
    public double FailureRate429 { get; set; }

    /// <summary>Fraction of calls (0 to 1) that fail with HTTP 503.</summary>
    public double FailureRate5xx { get; set; }

    /// <summary>Fraction of calls (0 to 1) that never answer: they wait past the model's Timeout.</summary>
    public double TimeoutRate { get; set; }

    /// <summary>Seeds the failure draws; the same seed gives the same sequence of failures.</summary>
    public int Seed { get; set; }
}
