namespace RouterFunctions.Chat;

/// <summary>A backend's circuit as routing sees it: "closed" (routable), "open" (excluded until RetryAt), "half-open" (one probe allowed).</summary>
public sealed record BackendState(string Model, string State, string? Reason, DateTimeOffset? Since, DateTimeOffset? RetryAt, long Failures, long Successes)
{
    public bool Routable => State != "open";
}

/// <summary>Per-backend health from call outcomes, read by routing (exclusions), /api/health, /api/stats and metrics.</summary>
public interface IBackendHealth
{
    /// <summary>Every configured backend's state, in configuration order.</summary>
    IReadOnlyList<BackendState> Snapshot();
}
