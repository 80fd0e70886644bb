using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Numerics;
using System.Text;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// Live statistics per (profile version, cluster): one partition per cluster holding up to <see cref="StatsShards.Count"/>
/// aggregate rows (count, mean score, mean cost per model; the cell is their fold) and one marker row per applied event.
/// Applying an event is a single partition transaction — insert its marker, replace this instance's aggregate row with
/// the ETag it was written with — so it happens once or not at all, whichever shard takes it: a redelivered event fails
/// on its marker (the marker keys are shared by all shards), a concurrent writer on the ETag.
/// </summary>
/// <remarks>
/// Why shards: with one row per cell every ingester writes the same row, so retries grow with the instances (8 × 1,000
/// events cost ~6,200 retries). Here an instance writes the shard of its identity, serialises its own writes per cell
/// (it never conflicts with itself) and keeps the row it wrote with its ETag (no read before a write). Two instances on
/// one shard collide once, and the loser moves to a shard no one is known to use. The other shards are point-read
/// (not scanned: the markers share the partition) beside the write, to return the cells folded across shards; which
/// shards exist is re-probed every <see cref="ProbeEvery"/> applies per cell, so a newly started instance's shard shows
/// in the returned cells within that many events (at once for a redelivery, and in <see cref="ReadAsync"/>).
/// Lowering <see cref="StatsShards.Count"/> later would hide the rows of the shards above it: raise it only.
/// </remarks>
public sealed class TableStatsStore(IEntityTable table, StatsShards shards) : IStatsStore
{
    private const string Aggregate = "aggregate";
    private const int ProbeEvery = 32;
    private readonly ConcurrentDictionary<string, Cell> _cells = new(StringComparer.Ordinal);

    /// <summary>One aggregate row per cell (a single writer, or the layout before sharding).</summary>
    public TableStatsStore(IEntityTable table)
        : this(table, StatsShards.OneRow)
    {
    }

    private enum Outcome
    {
        Applied,
        Redelivered,
        Collided,
    }

    public async Task<StatsUpdate> ApplyAsync(int profileVersion, string eventId, IReadOnlyList<StatsContribution> contributions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        var applied = 0;
        var cells = new Dictionary<int, CellStats[]>();
        foreach (var cluster in contributions.GroupBy(c => c.Cluster))
        {
            var partition = Partition(profileVersion, cluster.Key);
            var cell = _cells.GetOrAdd(partition, p => new Cell(shards.Home, new Random(shards.Seed ^ (int)XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(p)))));
            await cell.Gate.WaitAsync(cancellationToken);
            try
            {
                var (isNew, stats) = await ApplyAsync(cell, partition, eventId, [.. cluster], cancellationToken);
                applied += isNew ? 1 : 0;
                cells[cluster.Key] = stats;
            }
            finally
            {
                cell.Gate.Release();
            }
        }

        return new StatsUpdate(applied, cells);
    }

    public async Task<IReadOnlyDictionary<int, CellStats[]>> ReadAsync(int profileVersion, int clusters, int models, CancellationToken cancellationToken)
    {
        var all = Enumerable.Range(0, shards.Count).ToList();
        var rows = await Task.WhenAll(Enumerable.Range(0, clusters).Select(c => ReadShardsAsync(Partition(profileVersion, c), all, cancellationToken)));
        var result = new Dictionary<int, CellStats[]>();
        for (var c = 0; c < clusters; c++)
        {
            if (rows[c].Any(row => row is not null))
            {
                result[c] = Fold(rows[c].Select(row => Read(row, models)), models);
            }
        }

        return result;
    }

    // Under the cell's gate: this instance's only writer of the cell.
    private async Task<(bool Applied, CellStats[] Stats)> ApplyAsync(Cell cell, string partition, string eventId, List<StatsContribution> contributions, CancellationToken cancellationToken)
    {
        var models = contributions.Max(c => c.Model) + 1;
        while (true)
        {
            if (cell.UntilProbe-- <= 0)
            {
                await ProbeAsync(cell, partition, cancellationToken);
            }
            else if (!cell.OwnKnown)
            {
                cell.Own = await table.GetAsync(partition, RowKey(cell.Shard), cancellationToken);
                cell.OwnKnown = true;
            }

            var after = Read(cell.Own, models);
            foreach (var c in contributions)
            {
                after[c.Model] = after[c.Model].Add(c.Score, c.Cost, c.Weight);
            }

            var row = Write(partition, RowKey(cell.Shard), after, cell.Own);
            var marker = new TableRow(partition, "e-" + Keys.Hash(eventId)) { ["EventId"] = eventId };
            var others = ReadShardsAsync(partition, [.. Shards(cell.Existing & ~Bit(cell.Shard))], cancellationToken);
            var submit = SubmitAsync(marker, row, isNew: cell.Own is null, cancellationToken);

            // Until the outcome is known the row's ETag is not (a failed connection may or may not have written it).
            cell.OwnKnown = false;
            await Task.WhenAll(submit, others);
            switch (await submit)
            {
                case Outcome.Applied:
                    (cell.Own, cell.OwnKnown, cell.Existing) = (row, true, cell.Existing | Bit(cell.Shard));
                    return (true, Fold([.. (await others).Select(r => Read(r, models)), after], models));
                case Outcome.Redelivered:
                    // Another instance may have applied it, on a shard this one has not seen yet: look at all of them.
                    var all = await ProbeAsync(cell, partition, cancellationToken);
                    return (false, Fold(all.Select(r => Read(r, models)), models));
                default:
                    Move(cell);
                    break;
            }
        }
    }

    private async Task<Outcome> SubmitAsync(TableRow marker, TableRow row, bool isNew, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitAsync([new TableAction(TableWrite.Insert, marker), new TableAction(isNew ? TableWrite.Insert : TableWrite.Replace, row)], cancellationToken);
            return Outcome.Applied;
        }
        catch (TableWriteException e) when (e.FailedIndex == 0 && e.Failure == TableWriteFailure.Conflict)
        {
            return Outcome.Redelivered;
        }
        catch (TableWriteException e) when (e.Failure is TableWriteFailure.Conflict or TableWriteFailure.Precondition)
        {
            return Outcome.Collided;
        }
    }

    // Which shards of the cell exist (rows are never deleted, so this only grows), and this instance's row as it is.
    private async Task<TableRow?[]> ProbeAsync(Cell cell, string partition, CancellationToken cancellationToken)
    {
        var rows = await ReadShardsAsync(partition, [.. Enumerable.Range(0, shards.Count)], cancellationToken);
        for (var s = 0; s < rows.Length; s++)
        {
            cell.Existing |= rows[s] is null ? 0 : Bit(s);
        }

        (cell.Own, cell.OwnKnown, cell.UntilProbe) = (rows[cell.Shard], true, ProbeEvery - 1);
        return rows;
    }

    // Another instance wrote this instance's shard (their identities hashed alike): the one that lost moves, preferably
    // to a shard no one is known to write, so that the two stop colliding.
    private void Move(Cell cell)
    {
        cell.Existing |= Bit(cell.Shard);
        var free = Shards(~cell.Existing & (shards.Count == StatsShards.Max ? ulong.MaxValue : (1UL << shards.Count) - 1)).ToList();
        var any = Enumerable.Range(0, shards.Count).Where(s => s != cell.Shard).ToList();
        var choice = free.Count > 0 ? free : any;
        if (choice.Count > 0)
        {
            cell.Shard = choice[cell.Hops.Next(choice.Count)];
        }

        (cell.Own, cell.OwnKnown) = (null, false);
    }

    private Task<TableRow?[]> ReadShardsAsync(string partition, IReadOnlyList<int> which, CancellationToken cancellationToken) =>
        Task.WhenAll(which.Select(s => table.GetAsync(partition, RowKey(s), cancellationToken)));

    private static IEnumerable<int> Shards(ulong mask)
    {
        for (; mask != 0; mask &= mask - 1)
        {
            yield return BitOperations.TrailingZeroCount(mask);
        }
    }

    private static ulong Bit(int shard) => 1UL << shard;

    // Shard 0 keeps the row key of the single-row layout, so statistics written before sharding stay counted.
    private static string RowKey(int shard) =>
        shard == 0 ? Aggregate : string.Create(CultureInfo.InvariantCulture, $"{Aggregate}-{shard:D2}");

    private static string Partition(int version, int cluster) =>
        string.Create(CultureInfo.InvariantCulture, $"v{version:D8}-c{cluster:D4}");

    private static CellStats[] Fold(IEnumerable<CellStats[]> shardStats, int models)
    {
        var cells = new CellStats[models];
        foreach (var stats in shardStats)
        {
            for (var m = 0; m < models; m++)
            {
                cells[m] = cells[m].Combine(stats[m]);
            }
        }

        return cells;
    }

    private static CellStats[] Read(TableRow? row, int models)
    {
        var stats = new CellStats[models];
        for (var m = 0; m < models && row is not null; m++)
        {
            stats[m] = new CellStats(row.GetDouble($"N{m}"), row.GetDouble($"S{m}"), row.GetDouble($"C{m}"));
        }

        return stats;
    }

    private static TableRow Write(string partition, string rowKey, CellStats[] stats, TableRow? previous)
    {
        var row = new TableRow(partition, rowKey) { ETag = previous?.ETag };
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

    /// <summary>What this instance knows of one cell partition; read and written under <see cref="Gate"/> only.</summary>
    private sealed class Cell(int shard, Random hops)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Random Hops { get; } = hops;

        /// <summary>The shard this instance writes.</summary>
        public int Shard { get; set; } = shard;

        /// <summary>Its row as last read or written (with the ETag), when <see cref="OwnKnown"/>; null: not there yet.</summary>
        public TableRow? Own { get; set; }

        public bool OwnKnown { get; set; }

        /// <summary>Shards known to have a row.</summary>
        public ulong Existing { get; set; }

        public int UntilProbe { get; set; }
    }
}
