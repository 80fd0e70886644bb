using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RouterFunctions.Storage.Tables;

/// <summary>
/// The embedded local table: Table Storage's semantics in memory, optionally made durable by an append-only JSONL
/// journal replayed at start (a transaction is one appended block, flushed before the call returns).
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
            if (File.Exists(journalPath))
            {
                Replay(journalPath);
            }

            _journal = new StreamWriter(new FileStream(journalPath, FileMode.Append, FileAccess.Write, FileShare.Read));
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

        if (actions.Count > 100 || actions.Any(a => a.Row.PartitionKey != actions[0].Row.PartitionKey))
        {
            throw new ArgumentException("A transaction holds at most 100 actions on one partition.", nameof(actions));
        }

        lock (_gate)
        {
            for (var i = 0; i < actions.Count; i++)
            {
                Check(actions[i], i);
            }

            var lines = new List<string>(actions.Count);
            foreach (var (kind, row) in actions)
            {
                var key = (row.PartitionKey, row.RowKey);
                if (kind == TableWrite.Delete)
                {
                    _rows.Remove(key);
                    row.ETag = null;
                    lines.Add(JournalLine(row, deleted: true));
                    continue;
                }

                row.ETag = $"W/\"{++_etag}\"";
                _rows[key] = row.Clone();
                lines.Add(JournalLine(row, deleted: false));
            }

            if (_journal is not null)
            {
                _journal.Write(string.Join('\n', lines) + "\n");
                _journal.Flush();
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

    private static string JournalLine(TableRow row, bool deleted)
    {
        var properties = new JsonObject();
        foreach (var (name, value) in row.Properties)
        {
            properties[name] = value switch
            {
                null => null,
                string s => new JsonObject { ["s"] = s },
                long l => new JsonObject { ["l"] = l },
                int i => new JsonObject { ["l"] = i },
                double d => new JsonObject { ["d"] = d.ToString("R", CultureInfo.InvariantCulture) },
                bool b => new JsonObject { ["b"] = b },
                byte[] bytes => new JsonObject { ["y"] = Convert.ToBase64String(bytes) },
                DateTimeOffset t => new JsonObject { ["t"] = t.ToString("O", CultureInfo.InvariantCulture) },
                _ => throw new NotSupportedException($"Property type {value.GetType()} is not stored."),
            };
        }

        return new JsonObject { ["pk"] = row.PartitionKey, ["rk"] = row.RowKey, ["del"] = deleted, ["p"] = properties }.ToJsonString();
    }

    private void Replay(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonObject entry;
            try
            {
                entry = JsonNode.Parse(line)!.AsObject();
            }
            catch (JsonException)
            {
                break; // a torn last line from a crash mid-write: what came before it is intact
            }

            var key = (entry["pk"]!.GetValue<string>(), entry["rk"]!.GetValue<string>());
            if (entry["del"]!.GetValue<bool>())
            {
                _rows.Remove(key);
                continue;
            }

            var row = new TableRow(key.Item1, key.Item2) { ETag = $"W/\"{++_etag}\"" };
            foreach (var (name, node) in entry["p"]!.AsObject())
            {
                row[name] = node is not JsonObject typed ? null : typed.First() switch
                {
                    ("s", var v) => v!.GetValue<string>(),
                    ("l", var v) => v!.GetValue<long>(),
                    ("d", var v) => double.Parse(v!.GetValue<string>(), CultureInfo.InvariantCulture),
                    ("b", var v) => v!.GetValue<bool>(),
                    ("y", var v) => Convert.FromBase64String(v!.GetValue<string>()),
                    ("t", var v) => DateTimeOffset.Parse(v!.GetValue<string>(), CultureInfo.InvariantCulture),
                    var (t, _) => throw new FormatException($"Unknown property type '{t}' in {path}."),
                };
            }

            _rows[key] = row;
        }
    }
}
