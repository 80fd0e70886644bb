namespace RouterFunctions.Core.Feedback;

/// <summary>A store whose records expire: the retention purge removes what is older than the cutoff.</summary>
public interface IRetainedStore
{
    /// <summary>Deletes the records older than <paramref name="cutoff"/>; returns how many were deleted.</summary>
    Task<long> PurgeBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
