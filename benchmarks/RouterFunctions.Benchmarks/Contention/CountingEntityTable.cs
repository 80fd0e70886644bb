using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Benchmarks.Contention;

/// <summary>Counts the operations that reach a table and the writes it refused for a stale ETag (a retry follows each).</summary>
internal sealed class CountingEntityTable(IEntityTable inner) : IEntityTable
{
    private long _reads;
    private long _writes;
    private long _retries;

    public string Name => inner.Name;

    public long Reads => Interlocked.Read(ref _reads);

    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Writes refused because the row changed since it was read (Precondition), or was created meanwhile (a later action's Conflict).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.GetAsync(partitionKey, rowKey, cancellationToken);
    }

    public IAsyncEnumerable<TableRow> QueryAsync(string? partitionKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.QueryAsync(partitionKey, cancellationToken);
    }

    public async Task<string?> WriteAsync(TableAction action, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        try
        {
            return await inner.WriteAsync(action, cancellationToken);
        }
        catch (TableWriteException e) when (e.Failure == TableWriteFailure.Precondition)
        {
            Interlocked.Increment(ref _retries);
            throw;
        }
    }

    public async Task SubmitAsync(IReadOnlyList<TableAction> actions, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        try
        {
            await inner.SubmitAsync(actions, cancellationToken);
        }
        catch (TableWriteException e) when (e.Failure == TableWriteFailure.Precondition || (e.Failure == TableWriteFailure.Conflict && e.FailedIndex > 0))
        {
            Interlocked.Increment(ref _retries);
            throw;
        }
    }
}
