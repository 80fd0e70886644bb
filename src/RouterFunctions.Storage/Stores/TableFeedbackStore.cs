using System.Globalization;
using System.Runtime.CompilerServices;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>Feedback events partitioned by the day they were received; the insert of an event's id is the idempotency ledger.</summary>
public sealed class TableFeedbackStore(IEntityTable table) : IFeedbackStore
{
    public async Task<bool> TryAddAsync(FeedbackEvent feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var row = new TableRow(feedback.ReceivedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), Keys.Hash(feedback.Id))
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
            yield return new FeedbackEvent(
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
    }
}
