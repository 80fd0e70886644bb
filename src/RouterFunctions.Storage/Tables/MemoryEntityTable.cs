using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RouterFunctions.Storage.Tables;

/// <summary>
/// The embedded local table: Table Storage's semantics in memory, optionally made durable by an append-only JSONL
/// journal replayed at start (a transaction is one appended line, flushed before the call returns).
/// </summary>
public sealed class MemoryEntityTable : IEntityTable, IDisposable
{
    private readonly SortedDictionary<(string, string), TableRow> _rows = new(Comparer<(string, string)>.Create(
        (a, b) => string.CompareOrdinal(a.Item1, b.Item1) is var p and not 0 ? p : string.CompareOrdinal(a.Item2, b.Item2)));

    private readonly Lock _gate = new();
    private readonly StreamWriter? _journal;
    private long _etag;

    public MemoryEntityTable(string name, string? journalPath = null)
    {
        Name = name;
        if (journalPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(journalPath))!);
            var intact = File.Exists(journalPath) ? Replay(journalPath) : 0;
            var stream = new FileStream(journalPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
            if (stream.Length != intact)
            {
                // Cut what replay could not read (a block torn by a crash), or end an intact last line that lost its
                // newline: either way the next block must start on a line of its own, or it would be torn too.
                stream.SetLength(Math.Min(stream.Length, intact));
                stream.Seek(0, SeekOrigin.End);
                if (stream.Length < intact)
                {
                    stream.WriteByte((byte)'\n');
                }
            }

            stream.Seek(0, SeekOrigin.End);
            _journal = new StreamWriter(stream);
        }
    }

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

            // The whole transaction is one journal line, written before it is applied: a crash mid-write tears that
            // line, which replay then drops entirely, never a part of the transaction.
            var next = _etag;
            var etags = actions.Select(a => a.Kind == TableWrite.Delete ? null : $"W/\"{++next}\"").ToList();
            if (_journal is not null)
            {
                var entries = stored.Select((row, i) => JournalEntry(row, deleted: actions[i].Kind == TableWrite.Delete)).ToList();
                _journal.Write((entries.Count == 1 ? (JsonNode)entries[0] : new JsonArray([.. entries])).ToJsonString() + "\n");
                _journal.Flush();
            }

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

    public void Dispose() => _journal?.Dispose();

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

    private static JsonObject JournalEntry(TableRow row, bool deleted)
    {
        var properties = new JsonObject();
        foreach (var (name, value) in row.Properties)
        {
            properties[name] = value switch
            {
                string s => new JsonObject { ["s"] = s },
                long l => new JsonObject { ["l"] = l },
                double d => new JsonObject { ["d"] = d.ToString("R", CultureInfo.InvariantCulture) },
                bool b => new JsonObject { ["b"] = b },
                byte[] bytes => new JsonObject { ["y"] = Convert.ToBase64String(bytes) },
                DateTimeOffset t => new JsonObject { ["t"] = t.ToString("O", CultureInfo.InvariantCulture) },
                _ => throw new NotSupportedException($"Property type {value?.GetType()} is not stored."),
            };
        }

        return new JsonObject { ["pk"] = row.PartitionKey, ["rk"] = row.RowKey, ["del"] = deleted, ["p"] = properties };
    }

    // Applies every intact line; returns the length in bytes of the intact part (a torn last block is not part of it).
    private long Replay(string path)
    {
        long intact = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                intact += Encoding.UTF8.GetByteCount(line) + 1;
                continue;
            }

            JsonNode block;
            try
            {
                block = JsonNode.Parse(line)!;
            }
            catch (JsonException)
            {
                break; // a torn last block from a crash mid-write: what came before it is intact
            }

            foreach (var entry in block is JsonArray entries ? entries.Select(e => e!.AsObject()) : [block.AsObject()])
            {
                Apply(entry, path);
            }

            intact += Encoding.UTF8.GetByteCount(line) + 1;
        }

        return intact;
    }

    private void Apply(JsonObject entry, string path)
    {
        var key = (entry["pk"]!.GetValue<string>(), entry["rk"]!.GetValue<string>());
        if (entry["del"]!.GetValue<bool>())
        {
            _rows.Remove(key);
            return;
        }

        var row = new TableRow(key.Item1, key.Item2) { ETag = $"W/\"{++_etag}\"" };
        foreach (var (name, node) in entry["p"]!.AsObject())
        {
            if (node is not JsonObject typed)
            {
                continue; // a null written by an older version: not a property
            }

            row[name] = typed.First() switch
            {
                ("s", var v) => v!.GetValue<string>(),
                ("l", var v) => v!.GetValue<long>(),
                ("d", var v) => double.Parse(v!.GetValue<string>(), CultureInfo.InvariantCulture),
                ("b", var v) => v!.GetValue<bool>(),
                ("y", var v) => Convert.FromBase64String(v!.GetValue<string>()),
                ("t", var v) => DateTimeOffset.Parse(v!.GetValue<string>(), CultureInfo.InvariantCulture).ToUniversalTime(),
                var (t, _) => throw new FormatException($"Unknown property type '{t}' in {path}."),
            };
        }

        _rows[key] = row;
    }
}
