namespace RouterFunctions.Aggregation;

/// <summary>A model call's outcome as stored once per call id: the text (or the error) and its token usage.</summary>
public sealed record CallOutcome(string? Text, TokenUsage? Usage, string? Error);

/// <summary>A job and the ETag it was read with: saving with it succeeds only if nobody saved in between.</summary>
public sealed record StoredJob(AggregationJob Job, string? ETag);

/// <summary>
/// Aggregation jobs and their calls' outcomes, keyed by (job, call). An outcome is written once: a redelivered fan-out
/// message finds it and neither calls the model again nor pays twice.
/// </summary>
public interface IAggregationStore
{
    Task<StoredJob?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Saves the job; with an ETag only if unchanged since read. False when another writer got there first.</summary>
    Task<bool> TrySaveAsync(AggregationJob job, string? etag, CancellationToken cancellationToken);

    Task<CallOutcome?> GetOutcomeAsync(string jobId, string callId, CancellationToken cancellationToken);

    /// <summary>Stores the outcome unless one exists; false means one was already there.</summary>
    Task<bool> TryAddOutcomeAsync(string jobId, string callId, CallOutcome outcome, CancellationToken cancellationToken);
}
