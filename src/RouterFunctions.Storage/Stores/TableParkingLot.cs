using System.Runtime.CompilerServices;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>Parked (poison) messages by queue, with their body and last error, for an operator to inspect or replay.</summary>
public sealed class TableParkingLot(IEntityTable table) : IParkingLot
{
    public Task ParkAsync(ParkedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var row = new TableRow(message.Queue, Keys.Hash(message.MessageId))
        {
            ["MessageId"] = message.MessageId,
            ["Body"] = message.Body.Length > 30_000 ? message.Body[..30_000] : message.Body,
            ["DeliveryCount"] = (long)message.DeliveryCount,
            ["Error"] = message.Error.Length > 4_000 ? message.Error[..4_000] : message.Error,
            ["ParkedAt"] = message.ParkedAt,
        };
        return table.WriteAsync(new TableAction(TableWrite.Upsert, row), cancellationToken);
    }

    public async IAsyncEnumerable<ParkedMessage> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync(null, cancellationToken))
        {
            yield return new ParkedMessage(
                row.PartitionKey,
                row.GetString("MessageId") ?? "",
                row.GetString("Body") ?? "",
                (int)row.GetLong("DeliveryCount"),
                row.GetString("Error") ?? "",
                row.GetDate("ParkedAt") ?? default);
        }
    }
}
