using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Stores;

/// <summary>
/// <see cref="TableStatsStore"/> as several ingester instances (store instances with identities of their own, on one
/// table): exact totals, each event counted once whichever instance a redelivery reaches, and few ETag retries.
/// </summary>
public abstract class StatsShardsConformance : StoreConformance
{
    private const int Models = 5;

    [Fact]
    public async Task Concurrent_instances_with_redeliveries_across_them_count_each_event_once()
    {
        const int Instances = 6;
        const int EventsEach = 60;
        var table = new ObservedEntityTable(NewTable());
        var stores = Enumerable.Range(0, Instances).Select(i => new TableStatsStore(table, new StatsShards(16, $"instance-{i}"))).ToList();
        var events = Enumerable.Range(0, Instances * EventsEach).Select(n => ($"event-{n}", Contributions(new Random(n)))).ToList();
        var expected = Sequential(events.Select(e => e.Item2));
        var applied = new int[Instances];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Instance i delivers its own events, then redelivers instance (i + 1)'s: each event reaches two instances,
        // possibly at the same time.
        var ingesters = Enumerable.Range(0, Instances).Select(i => Task.Run(async () =>
        {
            await start.Task;
            foreach (var k in Enumerable.Range(0, EventsEach))
            {
                var (id, contributions) = events[(i * EventsEach) + k];
                applied[i] += (await stores[i].ApplyAsync(1, id, contributions, Ct)).Applied;
                var (otherId, other) = events[(((i + 1) % Instances) * EventsEach) + k];
                applied[i] += (await stores[i].ApplyAsync(1, otherId, other, Ct)).Applied;
            }
        }, Ct)).ToList();
        start.SetResult();
        await Task.WhenAll(ingesters);

        Assert.Equal(events.Sum(e => e.Item2.Count), applied.Sum());
        var reader = new TableStatsStore(table, new StatsShards(16, "reader"));
        var read = await reader.ReadAsync(1, clusters: 3, models: Models, Ct);
        for (var c = 0; c < 3; c++)
        {
            for (var m = 0; m < Models; m++)
            {
                AssertClose(expected[c][m], read[c][m], $"cell ({c}, {m})");
            }
        }

        // Six identities on 16 shards: a collision or two, then each instance on a shard of its own. One row per cell
        // took hundreds of retries here.
        Assert.True(table.Preconditions + table.ConflictsLater <= 3 * Instances, $"{table.Preconditions + table.ConflictsLater} ETag retries");
    }

    [Fact]
    public async Task An_update_returns_the_cells_folded_across_the_instances_shards()
    {
        var table = NewTable();
        var first = new TableStatsStore(table, new StatsShards(8, "a"));
        var second = new TableStatsStore(table, new StatsShards(8, "b"));
        await first.ApplyAsync(1, "x", [new(0, 1, 1, 0.5, 0.01)], Ct);

        var update = await second.ApplyAsync(1, "y", [new(0, 1, 1, 1, 0.03)], Ct);
        var redelivered = await first.ApplyAsync(1, "y", [new(0, 1, 1, 1, 0.03)], Ct);

        var both = CellStats.Empty.Add(0.5, 0.01).Add(1, 0.03);
        Assert.Equal(0, redelivered.Applied);
        AssertClose(both, update.Cells[0][1], "second's update");
        AssertClose(both, redelivered.Cells[0][1], "first's answer to the redelivery");
        AssertClose(both, (await first.ReadAsync(1, 1, 2, Ct))[0][1], "read");
    }

    [Fact]
    public async Task Two_instances_whose_identities_share_a_shard_end_up_on_different_ones()
    {
        var table = new ObservedEntityTable(NewTable());
        var identities = Enumerable.Range(0, 100).Select(i => $"i{i}").GroupBy(id => new StatsShards(4, id).Home).First(g => g.Count() >= 2).Take(2).ToList();
        var stores = identities.Select(id => new TableStatsStore(table, new StatsShards(4, id))).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writers = stores.Select((store, i) => Task.Run(async () =>
        {
            await start.Task;
            for (var k = 0; k < 40; k++)
            {
                await store.ApplyAsync(1, $"{i}-{k}", [new(0, 0, 1, 1, 0)], Ct);
            }
        }, Ct)).ToList();
        start.SetResult();
        await Task.WhenAll(writers);

        Assert.Equal(80, (await stores[0].ReadAsync(1, 1, 1, Ct))[0][0].Count, 9);
        Assert.True(table.Preconditions + table.ConflictsLater <= 4, $"{table.Preconditions + table.ConflictsLater} ETag retries");
    }

    [Fact]
    public async Task Statistics_of_the_single_row_layout_stay_counted_as_shard_zero()
    {
        var table = NewTable();
        await new TableStatsStore(table).ApplyAsync(1, "old", [new(0, 0, 1, 1, 0.5)], Ct);

        var sharded = new TableStatsStore(table, new StatsShards(16, "new"));
        var update = await sharded.ApplyAsync(1, "new", [new(0, 0, 1, 0, 0.5)], Ct);
        var again = await sharded.ApplyAsync(1, "old", [new(0, 0, 1, 1, 0.5)], Ct);

        Assert.Equal(new CellStats(2, 0.5, 0.5), update.Cells[0][0]);
        Assert.Equal(0, again.Applied);
        Assert.Equal(new CellStats(2, 0.5, 0.5), (await sharded.ReadAsync(1, 1, 1, Ct))[0][0]);
    }

    private static List<StatsContribution> Contributions(Random random)
    {
        var (model, score, cost) = (random.Next(Models), random.NextDouble(), random.NextDouble() * 0.01);
        var clusters = Enumerable.Range(0, 3).Where(_ => random.Next(2) == 0).DefaultIfEmpty(random.Next(3)).ToList();
        return [.. clusters.Select(c => new StatsContribution(c, model, 1.0 / clusters.Count, score, cost))];
    }

    private static CellStats[][] Sequential(IEnumerable<List<StatsContribution>> events)
    {
        var cells = Enumerable.Range(0, 3).Select(_ => new CellStats[Models]).ToArray();
        foreach (var c in events.SelectMany(e => e))
        {
            cells[c.Cluster][c.Model] = cells[c.Cluster][c.Model].Add(c.Score, c.Cost, c.Weight);
        }

        return cells;
    }

    private static void AssertClose(CellStats expected, CellStats actual, string what)
    {
        foreach (var (e, a) in new[] { (expected.Count, actual.Count), (expected.MeanScore, actual.MeanScore), (expected.MeanCost, actual.MeanCost) })
        {
            Assert.True(Math.Abs(e - a) <= 1e-9 * Math.Max(Math.Abs(e), Math.Abs(a)), $"{what}: expected {expected}, got {actual}");
        }
    }
}

public sealed class MemoryStatsShardsTests : StatsShardsConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.Stats);
}

public sealed class AzureStatsShardsTests(AzuriteFixture azurite) : StatsShardsConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}
