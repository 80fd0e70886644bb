using System.Globalization;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// Feedback keys partitioned by the day of their requestId (its v7 time), so a key is found with one point read and
/// leaves with the decisions of its day; ids that are not v7 share one partition, purged by their receipt time.
/// Resend counters are one row per day in their own partition.
/// </summary>
public sealed class TableFeedbackKeys(IEntityTable table) : IFeedbackKeys, IRetainedStore
{
    private const string Counters = "resends";
    private const string Unversioned = "other";

    public async Task<(FeedbackKey Stored, bool Added)> GetOrAddAsync(FeedbackKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var created = RequestIds.CreatedAt(key.RequestId);
        var partition = created is { } at ? Day(at) : Unversioned;
        var row = new TableRow(partition, Keys.Hash(key.EventId))
        {
            ["EventId"] = key.EventId,
            ["RequestId"] = key.RequestId,
            ["Fingerprint"] = key.Fingerprint,
            ["ReceivedAt"] = key.ReceivedAt,
            ["At"] = created ?? key.ReceivedAt,
        };
        while (true)
        {
            try
            {
                await table.WriteAsync(new TableAction(TableWrite.Insert, row), cancellationToken);
                return (key, true);
            }
            catch (TableWriteException e) when (e.Failure == TableWriteFailure.Conflict)
            {
                // Another submission of the key came first: it is the one that counts.
                if (await table.GetAsync(row.PartitionKey, row.RowKey, cancellationToken) is { } existing)
                {
                    return (new FeedbackKey(
                        existing.GetString("EventId") ?? key.EventId,
                        existing.GetString("RequestId") ?? key.RequestId,
                        existing.GetString("Fingerprint") ?? "",
                        existing.GetDate("ReceivedAt") ?? key.ReceivedAt), false);
                }

                // purged between the insert and the read: try again
            }
        }
    }

    public async Task CountResendAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var day = Day(at);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var row = await table.GetAsync(Counters, day, cancellationToken);
            var next = new TableRow(Counters, day) { ["Count"] = (row?.GetLong("Count") ?? 0) + 1, ["At"] = at, ETag = row?.ETag };
            try
            {
                await table.WriteAsync(new TableAction(row is null ? TableWrite.Insert : TableWrite.Replace, next), cancellationToken);
                return;
            }
            catch (TableWriteException e) when (e.Failure is TableWriteFailure.Conflict or TableWriteFailure.Precondition)
            {
                // a concurrent resend moved the counter: read it again
            }
        }
    }

    public async Task<long> ResendsAsync(DateTimeOffset first, DateTimeOffset last, CancellationToken cancellationToken)
    {
        long total = 0;
        for (var day = first.UtcDateTime.Date; day <= last.UtcDateTime.Date; day = day.AddDays(1))
        {
            total += (await table.GetAsync(Counters, Day(day), cancellationToken))?.GetLong("Count") ?? 0;
        }

        return total;
    }

    public async Task<long> PurgeBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        // The ledger lives as long as its decisions, so it is small: one scan finds what is older than the cutoff.
        var old = new List<TableRow>();
        await foreach (var row in table.QueryAsync(null, cancellationToken))
        {
            if (row.GetDate("At") is { } at && at < cutoff)
            {
                old.Add(row);
            }
        }

        // Unconditional: a resend counted meanwhile does not keep an expired day.
        return await TableDeletes.DeleteAsync(table, old, cancellationToken);
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Day(DateTime day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
