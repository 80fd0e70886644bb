using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>Retrain outcomes, newest first (row keys are inverted ticks).</summary>
public sealed class TableRetrainLog(IEntityTable table) : IRetrainLog
{
    // A retrain that had nothing to score records NaN scores, which plain JSON cannot hold.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public Task RecordAsync(RetrainOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var key = (DateTimeOffset.MaxValue.Ticks - outcome.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Keys.Hash(outcome.Id)[..8];
        var row = new TableRow("retrain", key) { ["Outcome"] = JsonSerializer.Serialize(outcome, Json) };
        return table.WriteAsync(new TableAction(TableWrite.Upsert, row), cancellationToken);
    }

    public async IAsyncEnumerable<RetrainOutcome> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync("retrain", cancellationToken))
        {
            if (JsonSerializer.Deserialize<RetrainOutcome>(row.GetString("Outcome") ?? "null", Json) is { } outcome)
            {
                yield return outcome;
            }
        }
    }
}
