using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using System.Text.Json;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Routing;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// Decisions by requestId. A router-issued id (a v7 GUID, <see cref="RequestIds"/>) says when it was made, so its row
/// lives in a partition of that hour, "yyyyMMddHH-ss", spread 64 ways; retention then deletes whole hours without
/// scanning, found through an index partition with one row per hour written. Other ids (tests, imports) go to
/// "undated-ss" and are purged by their time stamp. The row key is a router-issued id itself, any other id's hash (it may
/// hold characters keys may not), the id also a property.
/// A dated decision's embedding (2 KiB of raw floats, most of the row) is stored once per hour and distinct vector, in
/// partitions "yyyyMMddHH-eNN" keyed by the vector's hash, and the decision names it: a repeated query (the cached
/// route) then writes a ~300-byte row, and retention drops the hour's vectors with its decisions. Undated decisions
/// keep their embedding inline.
/// </summary>
public sealed class TableDecisionLog(IEntityTable table) : IDecisionLog, IRetainedStore
{
    private const string HourIndex = "hours";
    private const string Undated = "undated-";

    // Vectors this process has written, as "hour/key": not written again. Bounded (cleared when full: a vector
    // written twice is an idempotent upsert, never a wrong answer).
    private const int RememberedVectors = 50_000;
    private readonly ConcurrentDictionary<string, byte> _writtenVectors = new(StringComparer.Ordinal);

    public Task RecordAsync(DecisionRecord decision, CancellationToken cancellationToken) => RecordAsync([decision], cancellationToken);

    /// <summary>Writes the index row of each hour the decisions fall in, then the decisions (bulk upserts).</summary>
    public async Task RecordAsync(IReadOnlyCollection<DecisionRecord> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        // Hours first: a purge finds every written decision through its hour, even if the second write fails.
        await table.UpsertManyAsync(
            [.. decisions.Select(d => HourOf(d.RequestId)).OfType<string>().Distinct(StringComparer.Ordinal).Select(h => new TableRow(HourIndex, h))],
            cancellationToken);

        // The last of a repeated id wins, as sequential upserts would; a transaction may not touch a row twice.
        var latest = decisions.GroupBy(d => d.RequestId, StringComparer.Ordinal).Select(g => g.Last()).ToList();

        // Vectors before the decisions that name them, each once.
        var vectors = new Dictionary<string, TableRow>(StringComparer.Ordinal);
        foreach (var decision in latest)
        {
            if (HourOf(decision.RequestId) is { } hour && VectorKey(decision.Embedding) is var key && !_writtenVectors.ContainsKey($"{hour}/{key}"))
            {
                vectors.TryAdd($"{hour}/{key}", new TableRow(VectorPartition(hour, key), key) { ["Embedding"] = Keys.ToBytes(decision.Embedding) });
            }
        }

        await table.UpsertManyAsync(vectors.Values, cancellationToken);
        if (_writtenVectors.Count + vectors.Count > RememberedVectors)
        {
            _writtenVectors.Clear();
        }

        foreach (var name in vectors.Keys)
        {
            _writtenVectors.TryAdd(name, 0);
        }

        await table.UpsertManyAsync([.. latest.Select(ToRow)], cancellationToken);
    }

    public async Task<DecisionRecord?> GetAsync(string requestId, CancellationToken cancellationToken)
    {
        var partition = Partition(requestId);
        var row = await table.GetAsync(partition, RowKey(requestId), cancellationToken)
            ?? (HourOf(requestId) is null ? null : await table.GetAsync(partition, Keys.Hash(requestId), cancellationToken)); // written before v7 ids were row keys
        return row is null ? null : await ToRecordAsync(row, cancellationToken);
    }

    public async IAsyncEnumerable<DecisionRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync(null, cancellationToken))
        {
            if (row.PartitionKey != HourIndex && !IsVectorPartition(row.PartitionKey))
            {
                yield return await ToRecordAsync(row, cancellationToken);
            }
        }
    }

    /// <summary>Deletes every hour that ended before <paramref name="cutoff"/> (and undated decisions older than it).</summary>
    public async Task<long> PurgeBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var last = HourKey(cutoff.UtcDateTime.AddHours(-1));
        long deleted = 0;
        var hours = new List<TableRow>();
        await foreach (var hour in table.QueryAsync(HourIndex, cancellationToken))
        {
            if (string.CompareOrdinal(hour.RowKey, last) <= 0)
            {
                hours.Add(hour);
            }
        }

        foreach (var hour in hours)
        {
            for (var s = 0; s < 64; s++)
            {
                deleted += await DeleteAsync(string.Create(CultureInfo.InvariantCulture, $"{hour.RowKey}-p{s:D2}"), _ => true, cancellationToken);
                await DeleteAsync(string.Create(CultureInfo.InvariantCulture, $"{hour.RowKey}-e{s:D2}"), _ => true, cancellationToken);
            }

            // Only once its partitions are gone: a purge cut short by a crash finds the hour again next time.
            await TableDeletes.DeleteAsync(table, [hour], cancellationToken);
        }

        for (var s = 0; s < 64; s++)
        {
            deleted += await DeleteAsync(string.Create(CultureInfo.InvariantCulture, $"{Undated}p{s:D2}"), r => r.GetDate("At") < cutoff, cancellationToken);
        }

        return deleted;
    }

    private async Task<long> DeleteAsync(string partition, Func<TableRow, bool> expired, CancellationToken cancellationToken) =>
        await TableDeletes.DeleteAsync(table, await table.QueryAsync(partition, cancellationToken).Where(expired).ToListAsync(cancellationToken), cancellationToken);

    private static string? HourOf(string requestId) => RequestIds.CreatedAt(requestId) is { } at ? HourKey(at.UtcDateTime) : null;

    private static string HourKey(DateTime utc) => utc.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    private static string Partition(string requestId) => (HourOf(requestId) is { } hour ? hour + "-" : Undated) + Keys.Spread(requestId);

    // A router-issued id is its own row key: its time prefix makes inserts append at the end of each partition, where a
    // hash scatters them over the whole partition (and SQLite then rewrites a 16 KiB page for each 2 KiB row). Other
    // ids, which may hold characters keys may not, are hashed.
    private static string RowKey(string requestId) => HourOf(requestId) is null ? Keys.Hash(requestId) : requestId;

    private static TableRow ToRow(DecisionRecord decision)
    {
        var row = new TableRow(Partition(decision.RequestId), RowKey(decision.RequestId))
        {
            ["RequestId"] = decision.RequestId,
            ["ProfileVersion"] = (long)decision.ProfileVersion,
            ["Model"] = decision.Model,
            ["Clusters"] = JsonSerializer.Serialize(decision.Clusters),
            ["At"] = decision.At,
        };
        if (decision.Propensity < 1)
        {
            row["Propensity"] = decision.Propensity; // only when exploring: most rows stay as small as before
        }

        if (HourOf(decision.RequestId) is null)
        {
            row["Embedding"] = Keys.ToBytes(decision.Embedding);
        }
        else
        {
            row["EmbeddingKey"] = VectorKey(decision.Embedding);
        }

        return row;
    }

    private async Task<DecisionRecord> ToRecordAsync(TableRow row, CancellationToken cancellationToken)
    {
        // Inline (undated, or written before vectors were shared), else the hour's vector row; a missing one reads as
        // no embedding, which retraining skips.
        var bytes = row.GetBytes("Embedding");
        if (bytes is null && row.GetString("EmbeddingKey") is { } key && HourOf(row.GetString("RequestId") ?? "") is { } hour)
        {
            bytes = (await table.GetAsync(VectorPartition(hour, key), key, cancellationToken))?.GetBytes("Embedding");
        }

        return new DecisionRecord(
            row.GetString("RequestId") ?? row.RowKey,
            (int)row.GetLong("ProfileVersion"),
            row.GetString("Model") ?? "",
            JsonSerializer.Deserialize<ClusterWeight[]>(row.GetString("Clusters") ?? "[]") ?? [],
            Keys.ToFloats(bytes),
            row.GetDate("At") ?? default,
            row["Propensity"] is null ? 1 : row.GetDouble("Propensity"));
    }

    private static string VectorKey(float[] embedding) => Convert.ToHexStringLower(XxHash128.Hash(MemoryMarshal.AsBytes(embedding.AsSpan())));

    private static string VectorPartition(string hour, string key) => $"{hour}-e{Keys.Spread(key)[1..]}";

    private static bool IsVectorPartition(string partition) => partition.Length > 11 && partition[10] == '-' && partition[11] == 'e';
}
