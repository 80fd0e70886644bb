using System.Runtime.CompilerServices;

namespace RouterFunctions.Storage.Tables;

/// <summary>
/// Table Storage's semantics in memory, for the in-memory local mode (Storage:LocalDirectory empty) and tests; the
/// durable local table is <see cref="SqliteEntityTable"/>.
/// </summary>
public sealed class MemoryEntityTable : IEntityTable
{
    private readonly SortedDictionary<(string, string), TableRow> _rows = new(Comparer<(string, string)>.Create(
        (a, b) => string.CompareOrdinal(a.Item1, b.Item1) is var p and not 0 ? p : string.CompareOrdinal(a.Item2, b.Item2)));

    private readonly Lock _gate = new();
    private long _etag;

    public MemoryEntityTable(string name) => Name = name;

    public string Name { get; }

    public Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue((partitionKey, rowKey), out var row) ? row.Clone() : null);
        }
    }

    public async IAsyncEnumerable<TableRow> QueryAsync(string? partitionKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<TableRow> snapshot;
        lock (_gate)
        {
            snapshot = [.. _rows.Values.Where(r => partitionKey is null || r.PartitionKey == partitionKey).Select(r => r.Clone())];
        }

        foreach (var row in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }

        await Task.CompletedTask;
    }

    public async Task<string?> WriteAsync(TableAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await SubmitAsync([action], cancellationToken);
        return action.Row.ETag;
    }

    public Task SubmitAsync(IReadOnlyList<TableAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0)
        {
            return Task.CompletedTask;
        }

        TableRules.CheckTransaction(actions);
        var stored = actions.Select(a => Stored(a.Row)).ToList();
        lock (_gate)
        {
            for (var i = 0; i < actions.Count; i++)
            {
                Check(actions[i], i);
            }

            var next = _etag;
            var etags = actions.Select(a => a.Kind == TableWrite.Delete ? null : $"W/\"{++next}\"").ToList();
            _etag = next;
            for (var i = 0; i < actions.Count; i++)
            {
                var key = (stored[i].PartitionKey, stored[i].RowKey);
                actions[i].Row.ETag = stored[i].ETag = etags[i];
                if (etags[i] is null)
                {
                    _rows.Remove(key);
                }
                else
                {
                    _rows[key] = stored[i];
                }
            }
        }

        return Task.CompletedTask;
    }

    private void Check(TableAction action, int index)
    {
        var exists = _rows.TryGetValue((action.Row.PartitionKey, action.Row.RowKey), out var current);
        var failure = action.Kind switch
        {
            TableWrite.Insert when exists => TableWriteFailure.Conflict,
            TableWrite.Replace or TableWrite.Delete when !exists => TableWriteFailure.NotFound,
            TableWrite.Replace or TableWrite.Delete when action.Row.ETag is { } etag && etag != "*" && etag != current!.ETag => TableWriteFailure.Precondition,
            _ => (TableWriteFailure?)null,
        };
        if (failure is { } f)
        {
            throw new TableWriteException(f, index, $"{action.Kind} of {Name}({action.Row.PartitionKey}, {action.Row.RowKey}) failed: {f}.");
        }
    }

    // The row as kept: properties checked and normalised, nulls dropped (Table Storage has no null properties).
    private static TableRow Stored(TableRow row)
    {
        var stored = new TableRow(row.PartitionKey, row.RowKey) { ETag = row.ETag };
        foreach (var (name, value) in row.Properties)
        {
            if (TableRules.Stored(name, value) is { } kept)
            {
                stored[name] = kept;
            }
        }

        return stored;
    }
}
