using System.Globalization;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>A counter row per profile version: events since it was published, and whether a retrain was claimed (ETag-guarded).</summary>
public sealed class TableRetrainTrigger(IEntityTable table) : IRetrainTrigger
{
    public Task<bool> AddAndClaimAsync(int profileVersion, int events, Func<long, bool> due, string claimant, CancellationToken cancellationToken) =>
        UpdateAsync(profileVersion, events, due, claimant, cancellationToken);

    public async Task<string?> ClaimantAsync(int profileVersion, CancellationToken cancellationToken) =>
        await table.GetAsync(Partition(profileVersion), "counter", cancellationToken) is { } row && row.GetBool("Claimed")
            ? row.GetString("ClaimedBy")
            : null;

    public Task ResetAsync(int profileVersion, CancellationToken cancellationToken) =>
        table.WriteAsync(new TableAction(TableWrite.Upsert, new TableRow(Partition(profileVersion), "counter") { ["Events"] = 0L, ["Claimed"] = false, ["ClaimedBy"] = "" }), cancellationToken);

    private static string Partition(int profileVersion) => "trigger-v" + profileVersion.ToString("D8", CultureInfo.InvariantCulture);

    private async Task<bool> UpdateAsync(int profileVersion, int events, Func<long, bool> due, string claimant, CancellationToken cancellationToken)
    {
        var partition = Partition(profileVersion);
        while (true)
        {
            var row = await table.GetAsync(partition, "counter", cancellationToken);
            var count = (row?.GetLong("Events") ?? 0) + events;
            var claimed = row?.GetBool("Claimed") ?? false;
            var claim = !claimed && due(count);
            if (events == 0 && !claim)
            {
                return false;
            }

            var next = new TableRow(partition, "counter")
            {
                ["Events"] = count,
                ["Claimed"] = claimed || claim,
                ["ClaimedBy"] = claim ? claimant : row?.GetString("ClaimedBy") ?? "",
                ETag = row?.ETag,
            };
            try
            {
                await table.WriteAsync(new TableAction(row is null ? TableWrite.Insert : TableWrite.Replace, next), cancellationToken);
                return claim;
            }
            catch (TableWriteException e) when (e.Failure is TableWriteFailure.Conflict or TableWriteFailure.Precondition)
            {
                // a concurrent ingester moved the counter: read it again
            }
        }
    }
}
