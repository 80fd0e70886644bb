using System.Runtime.CompilerServices;
using System.Text.Json;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Routing;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// Decisions by requestId, spread over 64 partitions; the row key is the id's hash (a requestId may hold characters keys
/// may not), the id itself a property. The embedding is stored as raw float bytes (2 KiB).
/// </summary>
public sealed class TableDecisionLog(IEntityTable table) : IDecisionLog
{
    public Task RecordAsync(DecisionRecord decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var row = new TableRow(Keys.Spread(decision.RequestId), Keys.Hash(decision.RequestId))
        {
            ["RequestId"] = decision.RequestId,
            ["ProfileVersion"] = (long)decision.ProfileVersion,
            ["Model"] = decision.Model,
            ["Clusters"] = JsonSerializer.Serialize(decision.Clusters),
            ["Embedding"] = Keys.ToBytes(decision.Embedding),
            ["At"] = decision.At,
        };
        return table.WriteAsync(new TableAction(TableWrite.Upsert, row), cancellationToken);
    }

    public async Task<DecisionRecord?> GetAsync(string requestId, CancellationToken cancellationToken) =>
        await table.GetAsync(Keys.Spread(requestId), Keys.Hash(requestId), cancellationToken) is { } row ? ToRecord(row) : null;

    public async IAsyncEnumerable<DecisionRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync(null, cancellationToken))
        {
            yield return ToRecord(row);
        }
    }

    private static DecisionRecord ToRecord(TableRow row) => new(
        row.GetString("RequestId") ?? row.RowKey,
        (int)row.GetLong("ProfileVersion"),
        row.GetString("Model") ?? "",
        JsonSerializer.Deserialize<ClusterWeight[]>(row.GetString("Clusters") ?? "[]") ?? [],
        Keys.ToFloats(row.GetBytes("Embedding")),
        row.GetDate("At") ?? default);
}
