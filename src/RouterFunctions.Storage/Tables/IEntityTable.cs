namespace RouterFunctions.Storage.Tables;

public enum TableWrite
{
    /// <summary>Fails with <see cref="TableWriteFailure.Conflict"/> when the row exists.</summary>
    Insert,

    /// <summary>With the row's ETag: only if unchanged since read. Without: the row must exist.</summary>
    Replace,

    /// <summary>Insert or replace, unconditionally.</summary>
    Upsert,

    Delete,
}

public sealed record TableAction(TableWrite Kind, TableRow Row);

/// <summary>
/// The part of Azure Table Storage the stores use: point reads, partition scans, conditional writes and
/// all-or-nothing transactions within one partition. Two implementations (Azure/Azurite and the embedded local
/// table) pass one conformance suite, so every store above runs unchanged on both.
/// </summary>
public interface IEntityTable
{
    string Name { get; }

    Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken);

    /// <summary>Rows of one partition (or all when null), ordered by row key within a partition.</summary>
    IAsyncEnumerable<TableRow> QueryAsync(string? partitionKey, CancellationToken cancellationToken);

    /// <summary>Applies one write; returns the new ETag (null for a delete).</summary>
    Task<string?> WriteAsync(TableAction action, CancellationToken cancellationToken);

    /// <summary>Applies up to 100 writes to one partition, all or none; sets each written row's new ETag.</summary>
    Task SubmitAsync(IReadOnlyList<TableAction> actions, CancellationToken cancellationToken);

    /// <summary>
    /// Unconditional upserts of rows in any partitions, each row once (bulk writes: the decision log's batches). Only
    /// each partition transaction of up to 100 is all or none; this default writes them one after another, the local
    /// table all in one commit (a commit per partition would rewrite the same pages dozens of times per batch).
    /// </summary>
    Task UpsertManyAsync(IReadOnlyCollection<TableRow> rows, CancellationToken cancellationToken) => TableBatches.UpsertByPartitionAsync(this, rows, 1, cancellationToken);
}
