using System.Globalization;
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
/// "undated-ss" and are purged by their time stamp. The row key is the id's hash (an id may hold characters keys may
/// not), the id itself a property; the embedding is stored as raw float bytes (2 KiB).
/// </summary>
public sealed class TableDecisionLog(IEntityTable table) : IDecisionLog, IRetainedStore
{
    private const string HourIndex = "hours";
    private const string Undated = "undated-";

    public Task RecordAsync(DecisionRecord decision, CancellationToken cancellationToken) => RecordAsync([decision], cancellationToken);

    /// <summary>Writes decisions in partition transactions of up to 100, and the index row of each hour they fall in.</summary>
    public async Task RecordAsync(IReadOnlyCollection<DecisionRecord> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (var hour in decisions.Select(d => HourOf(d.RequestId)).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await table.WriteAsync(new TableAction(TableWrite.Upsert, new TableRow(HourIndex, hour)), cancellationToken);
        }

        foreach (var partition in decisions.GroupBy(d => Partition(d.RequestId), StringComparer.Ordinal))
        {
            // The last of a repeated id wins, as sequential upserts would; a transaction may not touch a row twice.
            var rows = partition.GroupBy(d => d.RequestId, StringComparer.Ordinal).Select(g => ToRow(g.Last())).ToList();
            foreach (var chunk in rows.Chunk(100))
            {
                await table.SubmitAsync([.. chunk.Select(r => new TableAction(TableWrite.Upsert, r))], cancellationToken);
            }
        }
    }

    public async Task<DecisionRecord?> GetAsync(string requestId, CancellationToken cancellationToken) =>
        await table.GetAsync(Partition(requestId), Keys.Hash(requestId), cancellationToken) is { } row ? ToRecord(row) : null;

    public async IAsyncEnumerable<DecisionRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync(null, cancellationToken))
        {
            if (row.PartitionKey != HourIndex)
            {
                yield return ToRecord(row);
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

    private static TableRow ToRow(DecisionRecord decision) => new(Partition(decision.RequestId), Keys.Hash(decision.RequestId))
    {
        ["RequestId"] = decision.RequestId,
        ["ProfileVersion"] = (long)decision.ProfileVersion,
        ["Model"] = decision.Model,
        ["Clusters"] = JsonSerializer.Serialize(decision.Clusters),
        ["Embedding"] = Keys.ToBytes(decision.Embedding),
        ["At"] = decision.At,
    };

    private static DecisionRecord ToRecord(TableRow row) => new(
        row.GetString("RequestId") ?? row.RowKey,
        (int)row.GetLong("ProfileVersion"),
        row.GetString("Model") ?? "",
        JsonSerializer.Deserialize<ClusterWeight[]>(row.GetString("Clusters") ?? "[]") ?? [],
        Keys.ToFloats(row.GetBytes("Embedding")),
        row.GetDate("At") ?? default);
}
