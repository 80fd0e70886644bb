using System.Globalization;
using System.Runtime.CompilerServices;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// Feedback events partitioned by the day they were received; the insert of an event's id is the idempotency ledger.
/// Each row keeps when it was stored, so receipt-to-counted lag can be read back.
/// </summary>
public sealed class TableFeedbackStore(IEntityTable table, TimeProvider? time = null) : IFeedbackStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<bool> TryAddAsync(FeedbackEvent feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var row = new TableRow(Day(feedback.ReceivedAt), Keys.Hash(feedback.Id))
        {
            ["Id"] = feedback.Id,
            ["RequestId"] = feedback.RequestId,
            ["Score"] = feedback.Score,
            ["Verdict"] = feedback.Verdict,
            ["Model"] = feedback.Model,
            ["Cost"] = feedback.Cost,
            ["LatencyMs"] = feedback.LatencyMs,
            ["Source"] = feedback.Source,
            ["ReceivedAt"] = feedback.ReceivedAt,
            ["StoredAt"] = _time.GetUtcNow(),
        };
        try
        {
            await table.WriteAsync(new TableAction(TableWrite.Insert, row), cancellationToken);
            return true;
        }
        catch (TableWriteException e) when (e.Failure == TableWriteFailure.Conflict)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<FeedbackEvent> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync(null, cancellationToken))
        {
            yield return ToEvent(row);
        }
    }

    public async IAsyncEnumerable<StoredFeedback> ListReceivedAsync(DateTimeOffset since, DateTimeOffset until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Newest day first: a caller that stops early has the most recent events.
        for (var day = until.UtcDateTime.Date; day >= since.UtcDateTime.Date; day = day.AddDays(-1))
        {
            await foreach (var row in table.QueryAsync(Day(day), cancellationToken))
            {
                var e = ToEvent(row);
                if (e.ReceivedAt >= since && e.ReceivedAt <= until)
                {
                    yield return new StoredFeedback(e, row.GetDate("StoredAt"));
                }
            }
        }
    }

    private static string Day(DateTimeOffset at) => Day(at.UtcDateTime);

    private static string Day(DateTime at) => at.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static FeedbackEvent ToEvent(TableRow row) => new(
        row.GetString("Id") ?? row.RowKey,
        row.GetString("RequestId") ?? "",
        row.GetDouble("Score"),
        row.GetString("Verdict"),
        row.GetString("Model"),
        row["Cost"] is null ? null : row.GetDouble("Cost"),
        row["LatencyMs"] is null ? null : row.GetDouble("LatencyMs"),
        row.GetString("Source"),
        row.GetDate("ReceivedAt") ?? default);
}
