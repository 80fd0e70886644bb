namespace RouterFunctions.Chat;

/// <summary>The states of a backend's circuit, as <see cref="BackendState.State"/> spells them.</summary>
public static class BackendStates
{
    /// <summary>Calls go through; outcomes are counted.</summary>
    public const string Closed = "closed";

    /// <summary>No calls until <see cref="BackendState.RetryAt"/>: routing excludes the model, a call to it fails at once.</summary>
    public const string Open = "open";

    /// <summary>The break is over: the next call is a probe, and its outcome closes or reopens the circuit.</summary>
    public const string HalfOpen = "half-open";
}

/// <summary>A backend's circuit as routing sees it: "closed" (routable), "open" (excluded until RetryAt), "half-open" (one probe allowed).</summary>
/// <param name="Reason">Why it is open or half-open (e.g. "circuit open: 5 failures in 30s (last: http 503)"); null when closed.</param>
/// <param name="Since">When it entered this state; null if it never left "closed".</param>
/// <param name="RetryAt">When an open circuit lets a probe through; null unless open (or half-open after its break).</param>
/// <param name="Failures">Calls that failed the way failover counts (429, 5xx, timeout, transport), since start.</param>
/// <param name="Successes">Calls answered, since start.</param>
public sealed record BackendState(string Model, string State, string? Reason, DateTimeOffset? Since, DateTimeOffset? RetryAt, long Failures, long Successes)
{
    public bool Routable => State != BackendStates.Open;

    /// <summary>A closed backend that has seen no call.</summary>
    public static BackendState Fresh(string model) => new(model, BackendStates.Closed, null, null, null, 0, 0);
}

/// <summary>A model routing left out because its circuit is open: until when, and why.</summary>
public sealed record BackendExclusion(string Model, string Reason, DateTimeOffset? Until)
{
    public static BackendExclusion Of(BackendState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new BackendExclusion(state.Model, state.Reason ?? "circuit open", state.RetryAt);
    }
}

/// <summary>One change of a backend's circuit: the state it is in now and the state it left.</summary>
public sealed class BackendTransitionEventArgs(BackendState state, string previous) : EventArgs
{
    public BackendState State { get; } = state;

    public string Previous { get; } = previous;
}

/// <summary>Per-backend health from call outcomes, read by routing (exclusions), /api/health, /api/stats and metrics.</summary>
public interface IBackendHealth
{
    /// <summary>Every change of a circuit's state (opened, half-opened, closed), after it happened; for metrics.</summary>
    event EventHandler<BackendTransitionEventArgs>? Transitioned;

    /// <summary>Every configured backend's state, in configuration order.</summary>
    IReadOnlyList<BackendState> Snapshot();
}
