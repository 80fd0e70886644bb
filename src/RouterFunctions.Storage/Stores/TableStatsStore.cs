using System.Globalization;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// Live statistics per (profile version, cluster): one partition per cluster holding an aggregate row (count, mean score,
/// mean cost per model) and one marker row per applied event. Applying an event is a single partition transaction —
/// insert its marker, replace the aggregate with the ETag it was read with — so it happens once or not at all: a
/// redelivered event fails on its marker, a concurrent writer on the ETag (then the update is read again and retried).
/// </summary>
public sealed class TableStatsStore(IEntityTable table) : IStatsStore
{
    private const string Aggregate = "aggregate";

    public async Task<StatsUpdate> ApplyAsync(int profileVersion, string eventId, IReadOnlyList<StatsContribution> contributions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        var applied = 0;
        var cells = new Dictionary<int, CellStats[]>();
        foreach (var cluster in contributions.GroupBy(c => c.Cluster))
        {
            var models = cluster.Max(c => c.Model) + 1;
            var partition = Partition(profileVersion, cluster.Key);
            while (true)
            {
                var row = await table.GetAsync(partition, Aggregate, cancellationToken);
                var stats = Read(row, models);
                foreach (var c in cluster)
                {
                    stats[c.Model] = stats[c.Model].Add(c.Score, c.Cost, c.Weight);
                }

                var next = Write(partition, stats, row);
                var marker = new TableRow(partition, "e-" + Keys.Hash(eventId)) { ["EventId"] = eventId };
                try
                {
                    await table.SubmitAsync(
                        [new TableAction(TableWrite.Insert, marker), new TableAction(row is null ? TableWrite.Insert : TableWrite.Replace, next)],
                        cancellationToken);
                    applied++;
                    cells[cluster.Key] = stats;
                    break;
                }
                catch (TableWriteException e) when (e.FailedIndex == 0 && e.Failure == TableWriteFailure.Conflict)
                {
                    cells[cluster.Key] = Read(row, models); // already applied: a redelivery
                    break;
                }
                catch (TableWriteException e) when (e.Failure is TableWriteFailure.Conflict or TableWriteFailure.Precondition)
                {
                    // another writer updated the aggregate since it was read: read it again
                }
            }
        }

        return new StatsUpdate(applied, cells);
    }

    public async Task<IReadOnlyDictionary<int, CellStats[]>> ReadAsync(int profileVersion, int clusters, int models, CancellationToken cancellationToken)
    {
        var result = new Dictionary<int, CellStats[]>();
        for (var c = 0; c < clusters; c++)
        {
            if (await table.GetAsync(Partition(profileVersion, c), Aggregate, cancellationToken) is { } row)
            {
                result[c] = Read(row, models);
            }
        }

        return result;
    }

    private static string Partition(int version, int cluster) =>
        string.Create(CultureInfo.InvariantCulture, $"v{version:D8}-c{cluster:D4}");

    private static CellStats[] Read(TableRow? row, int models)
    {
        var stats = new CellStats[models];
        for (var m = 0; m < models && row is not null; m++)
        {
            stats[m] = new CellStats(row.GetDouble($"N{m}"), row.GetDouble($"S{m}"), row.GetDouble($"C{m}"));
        }

        return stats;
    }

    private static TableRow Write(string partition, CellStats[] stats, TableRow? previous)
    {
        var row = new TableRow(partition, Aggregate) { ETag = previous?.ETag };
        for (var m = 0; m < stats.Length; m++)
        {
            (row[$"N{m}"], row[$"S{m}"], row[$"C{m}"]) = (stats[m].Count, stats[m].MeanScore, stats[m].MeanCost);
        }

        // Keep cells of models this event did not touch (a row may hold more models than the event's highest index).
        foreach (var (name, value) in previous?.Properties ?? [])
        {
            row.Properties.TryAdd(name, value);
        }

        return row;
    }
}
