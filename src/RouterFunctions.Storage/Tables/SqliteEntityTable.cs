using System.Runtime.CompilerServices;
using RouterFunctions.Storage.Local;

namespace RouterFunctions.Storage.Tables;

/// <summary>
/// The embedded local table: Table Storage's semantics (ETags, conditional writes, all-or-nothing partition
/// transactions) over one table of the local SQLite database. Nothing is cached: reads go to the file, so memory
/// stays bounded whatever the table holds; a write returns once its transaction is committed.
/// </summary>
public sealed class SqliteEntityTable(LocalDatabase database, string name) : IEntityTable
{
    public string Name { get; } = name;

    public Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, props FROM entities WHERE tbl = $t AND pk = $p AND rk = $r";
        command.Parameters.AddWithValue("$t", Name);
        command.Parameters.AddWithValue("$p", partitionKey);
        command.Parameters.AddWithValue("$r", rowKey);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? Row(partitionKey, rowKey, reader.GetString(0), (byte[])reader[1]) : null);
    }

    public async IAsyncEnumerable<TableRow> QueryAsync(string? partitionKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Streams from one read transaction (a consistent snapshot under WAL), a row at a time.
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = partitionKey is null
            ? "SELECT pk, rk, etag, props FROM entities WHERE tbl = $t ORDER BY pk, rk"
            : "SELECT pk, rk, etag, props FROM entities WHERE tbl = $t AND pk = $p ORDER BY rk";
        command.Parameters.AddWithValue("$t", Name);
        if (partitionKey is not null)
        {
            command.Parameters.AddWithValue("$p", partitionKey);
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Row(reader.GetString(0), reader.GetString(1), reader.GetString(2), (byte[])reader[3]);
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

        cancellationToken.ThrowIfCancellationRequested();
        TableRules.CheckTransaction(actions);
        // Encoded (and so type-checked) before the transaction: a refused property writes nothing.
        var blobs = actions.Select(a => a.Kind == TableWrite.Delete ? null : PropertyCodec.Encode(a.Row)).ToList();
        var etags = database.Write(commands =>
        {
            for (var i = 0; i < actions.Count; i++)
            {
                if (actions[i].Kind != TableWrite.Upsert) // an upsert has no condition to check
                {
                    var current = commands.Scalar("SELECT etag FROM entities WHERE tbl = $t AND pk = $p AND rk = $r",
                        ("$t", Name), ("$p", actions[i].Row.PartitionKey), ("$r", actions[i].Row.RowKey)) as string;
                    Check(actions[i], i, current);
                }
            }

            var written = new string?[actions.Count];
            for (var i = 0; i < actions.Count; i++)
            {
                var row = actions[i].Row;
                if (blobs[i] is { } blob)
                {
                    written[i] = NewETag();
                    commands.Execute("INSERT OR REPLACE INTO entities (tbl, pk, rk, etag, props) VALUES ($t, $p, $r, $e, $b)",
                        ("$t", Name), ("$p", row.PartitionKey), ("$r", row.RowKey), ("$e", written[i]), ("$b", blob));
                }
                else
                {
                    commands.Execute("DELETE FROM entities WHERE tbl = $t AND pk = $p AND rk = $r", ("$t", Name), ("$p", row.PartitionKey), ("$r", row.RowKey));
                }
            }

            return written;
        }, deletes: blobs.Count(b => b is null));

        // Only once committed: a failed transaction leaves the caller's rows (and their ETags) as they were.
        for (var i = 0; i < actions.Count; i++)
        {
            actions[i].Row.ETag = etags[i];
        }

        return Task.CompletedTask;
    }

    /// <summary>All rows in one commit, through one prepared statement.</summary>
    public Task UpsertManyAsync(IReadOnlyCollection<TableRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        cancellationToken.ThrowIfCancellationRequested();
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        var encoded = rows.Select(r => (Row: r, Blob: PropertyCodec.Encode(r))).ToList();
        var etags = database.Write(commands =>
        {
            using var insert = commands.Create("INSERT OR REPLACE INTO entities (tbl, pk, rk, etag, props) VALUES ($t, $p, $r, $e, $b)",
                ("$t", Name), ("$p", ""), ("$r", ""), ("$e", ""), ("$b", Array.Empty<byte>()));
            insert.Prepare();
            var written = new string[encoded.Count];
            for (var i = 0; i < encoded.Count; i++)
            {
                written[i] = NewETag();
                (insert.Parameters["$p"].Value, insert.Parameters["$r"].Value, insert.Parameters["$e"].Value, insert.Parameters["$b"].Value) =
                    (encoded[i].Row.PartitionKey, encoded[i].Row.RowKey, written[i], encoded[i].Blob);
                insert.ExecuteNonQuery();
            }

            return written;
        });
        for (var i = 0; i < encoded.Count; i++)
        {
            encoded[i].Row.ETag = etags[i];
        }

        return Task.CompletedTask;
    }

    // Unique per write, like Table Storage's timestamp ETags; nothing orders them, so a random one does.
    private static string NewETag() => $"W/\"{Guid.NewGuid():N}\"";

    private void Check(TableAction action, int index, string? current)
    {
        var failure = action.Kind switch
        {
            TableWrite.Insert when current is not null => TableWriteFailure.Conflict,
            TableWrite.Replace or TableWrite.Delete when current is null => TableWriteFailure.NotFound,
            TableWrite.Replace or TableWrite.Delete when action.Row.ETag is { } etag && etag != "*" && etag != current => TableWriteFailure.Precondition,
            _ => (TableWriteFailure?)null,
        };
        if (failure is { } f)
        {
            throw new TableWriteException(f, index, $"{action.Kind} of {Name}({action.Row.PartitionKey}, {action.Row.RowKey}) failed: {f}.");
        }
    }

    private TableRow Row(string partitionKey, string rowKey, string etag, byte[] blob)
    {
        try
        {
            return new TableRow(partitionKey, rowKey) { ETag = etag, Properties = PropertyCodec.Decode(blob) };
        }
        catch (InvalidDataException e)
        {
            throw new LocalStoreException(database.FilePath,
                $"row {Name}({partitionKey}, {rowKey}) holds properties this router cannot decode ({e.Message})",
                "the router left the file untouched: restore it from a backup, or delete that row", e);
        }
    }
}
