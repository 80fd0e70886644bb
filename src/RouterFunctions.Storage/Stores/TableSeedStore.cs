using System.Globalization;
using System.Text.Json;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Training;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>Seed examples (embedding, outcomes per model, task), saved once in transactions of 100 rows.</summary>
public sealed class TableSeedStore(IEntityTable table) : ISeedStore
{
    private const int RowsPerPartition = 100;

    public async Task SaveAsync(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(examples);
        for (var start = 0; start < examples.Count; start += RowsPerPartition)
        {
            var partition = "s" + (start / RowsPerPartition).ToString("D5", CultureInfo.InvariantCulture);
            var rows = examples.Skip(start).Take(RowsPerPartition).Select((e, i) => new TableAction(TableWrite.Upsert, new TableRow(partition, i.ToString("D3", CultureInfo.InvariantCulture))
            {
                ["Embedding"] = Keys.ToBytes(e.Embedding),
                ["Outcomes"] = JsonSerializer.Serialize(e.Outcomes),
                ["Task"] = e.Task,
            })).ToList();
            await table.SubmitAsync(rows, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<TrainingExample>> LoadAsync(CancellationToken cancellationToken)
    {
        var examples = new List<TrainingExample>();
        await foreach (var row in table.QueryAsync(null, cancellationToken))
        {
            examples.Add(new TrainingExample(
                Keys.ToFloats(row.GetBytes("Embedding")),
                JsonSerializer.Deserialize<Dictionary<string, ModelOutcome>>(row.GetString("Outcomes") ?? "{}") ?? [],
                row.GetString("Task")));
        }

        return examples;
    }
}
