namespace RouterFunctions.Chat;

/// <summary>
/// The per-model circuit breakers (section "Failover:Breaker", see <see cref="BackendHealthMonitor"/>). A model's
/// breaker opens when, within <see cref="SamplingDuration"/>, at least <see cref="MinimumThroughput"/> calls ended and
/// at least <see cref="FailureRatio"/> of them failed the way failover counts (429, 5xx, timeout, transport); it then
/// stays open for <see cref="BreakDuration"/> (or a 429's Retry-After, when longer), after which one probe call decides.
/// </summary>
public sealed class BreakerOptions
{
    public const string SectionName = "Failover:Breaker";

    public static readonly TimeSpan MinDuration = TimeSpan.FromMilliseconds(500);

    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    /// <summary>Off: no breakers; every model is always routable (and every failure is still failed over).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The share of failed calls within the sampling window that opens the circuit, more than 0 and at most 1.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Fewest calls in the window before the ratio counts (at least 2): one unlucky call does not open a circuit.</summary>
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>The window the failure ratio is measured over.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an opened circuit stays open before a probe call is let through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest Retry-After honoured: a 429 asking for up to this long holds the circuit open that long (no call
    /// until then); one asking for more holds it this long, so a wrong header cannot take a model away for a day.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);
}
