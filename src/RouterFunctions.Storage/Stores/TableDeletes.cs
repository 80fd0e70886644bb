using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>The retention purges' delete: many rows, in partition transactions of up to 100.</summary>
internal static class TableDeletes
{
    /// <summary>
    /// Deletes <paramref name="rows"/> unconditionally (a row changed since it was read still goes); returns how many
    /// this call deleted. A transaction refused because a concurrent purge took some of its rows is redone row by row.
    /// </summary>
    public static async Task<long> DeleteAsync(IEntityTable table, IEnumerable<TableRow> rows, CancellationToken cancellationToken)
    {
        long deleted = 0;
        foreach (var partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                try
                {
                    await table.SubmitAsync([.. chunk.Select(Delete)], cancellationToken);
                    deleted += chunk.Length;
                }
                catch (TableWriteException e) when (e.Failure == TableWriteFailure.NotFound)
                {
                    foreach (var row in chunk)
                    {
                        deleted += await TryDeleteAsync(table, row, cancellationToken) ? 1 : 0;
                    }
                }
            }
        }

        return deleted;
    }

    private static TableAction Delete(TableRow row) => new(TableWrite.Delete, new TableRow(row.PartitionKey, row.RowKey) { ETag = "*" });

    private static async Task<bool> TryDeleteAsync(IEntityTable table, TableRow row, CancellationToken cancellationToken)
    {
        try
        {
            await table.WriteAsync(Delete(row), cancellationToken);
            return true;
        }
        catch (TableWriteException e) when (e.Failure == TableWriteFailure.NotFound)
        {
            return false;
        }
    }
}
