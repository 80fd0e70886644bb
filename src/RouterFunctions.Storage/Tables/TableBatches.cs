namespace RouterFunctions.Storage.Tables;

/// <summary>Bulk upserts as Table Storage takes them: per partition, transactions of up to 100 rows.</summary>
internal static class TableBatches
{
    /// <summary>Writes <paramref name="rows"/> as partition transactions, up to <paramref name="parallelism"/> at a time.</summary>
    public static Task UpsertByPartitionAsync(IEntityTable table, IReadOnlyCollection<TableRow> rows, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var transactions = rows
            .GroupBy(r => r.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partition => partition.Chunk(100))
            .Select(chunk => (IReadOnlyList<TableAction>)[.. chunk.Select(r => new TableAction(TableWrite.Upsert, r))])
            .ToList();
        return Parallel.ForEachAsync(
            transactions,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (transaction, token) => await table.SubmitAsync(transaction, token));
    }
}
