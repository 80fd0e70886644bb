using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Stores;

public abstract class StatsStoreConformance : StoreConformance
{
    [Fact]
    public async Task ApplyAsync_of_one_event_adds_each_contribution_to_its_cell()
    {
        var store = new TableStatsStore(NewTable());
        StatsContribution[] contributions = [new(Cluster: 2, Model: 1, Weight: 0.75, Score: 0.8, Cost: 0.002), new(Cluster: 5, Model: 1, Weight: 0.25, Score: 0.8, Cost: 0.002)];

        var update = await store.ApplyAsync(1, "event-1", contributions, Ct);

        Assert.Equal(2, update.Applied);
        Assert.Equal([2, 5], update.Cells.Keys.Order());
        Assert.Equal(CellStats.Empty.Add(0.8, 0.002, 0.75), update.Cells[2][1]);
        Assert.Equal(CellStats.Empty.Add(0.8, 0.002, 0.25), update.Cells[5][1]);
        Assert.Equal(CellStats.Empty, update.Cells[2][0]);
    }

    [Fact]
    public async Task ApplyAsync_of_many_events_gives_the_cells_of_CellStats_Add_in_order()
    {
        var store = new TableStatsStore(NewTable());
        var random = new Random(17);
        var expected = new CellStats[3][];
        for (var c = 0; c < 3; c++)
        {
            expected[c] = new CellStats[4];
        }

        for (var e = 0; e < 40; e++)
        {
            var model = random.Next(4);
            var (score, cost) = (random.NextDouble(), random.NextDouble() * 1e-2);
            var contributions = Enumerable.Range(0, 3).Where(_ => random.Next(2) == 0)
                .Select(c => new StatsContribution(c, model, random.NextDouble() + 0.01, score, cost)).ToList();
            foreach (var c in contributions)
            {
                expected[c.Cluster][c.Model] = expected[c.Cluster][c.Model].Add(c.Score, c.Cost, c.Weight);
            }

            var update = await store.ApplyAsync(4, $"e{e}", contributions, Ct);

            Assert.Equal(contributions.Count, update.Applied);
            foreach (var c in contributions)
            {
                Assert.Equal(expected[c.Cluster][c.Model], update.Cells[c.Cluster][c.Model]);
            }
        }

        var read = await store.ReadAsync(4, clusters: 3, models: 4, Ct);

        foreach (var (cluster, cells) in read)
        {
            Assert.Equal(expected[cluster], cells);
        }

        Assert.Equal(Enumerable.Range(0, 3).Where(c => expected[c].Any(s => s.Count > 0)), read.Keys.Order());
    }

    [Fact]
    public async Task The_same_event_applied_three_times_counts_once()
    {
        var store = new TableStatsStore(NewTable());
        StatsContribution[] contributions = [new(0, 2, 1, 0.5, 0.01), new(3, 2, 0.5, 0.5, 0.01)];
        await store.ApplyAsync(1, "before", [new(0, 2, 1, 1, 0.03)], Ct);
        var once = CellStats.Empty.Add(1, 0.03).Add(0.5, 0.01, 1);

        var first = await store.ApplyAsync(1, "event/with#odd?id", contributions, Ct);
        var second = await store.ApplyAsync(1, "event/with#odd?id", contributions, Ct);
        var third = await store.ApplyAsync(1, "event/with#odd?id", contributions, Ct);

        Assert.Equal([2, 0, 0], [first.Applied, second.Applied, third.Applied]);
        Assert.Equal(once, second.Cells[0][2]);
        Assert.Equal(once, third.Cells[0][2]);
        var read = await store.ReadAsync(1, clusters: 4, models: 3, Ct);
        Assert.Equal(once, read[0][2]);
        Assert.Equal(CellStats.Empty.Add(0.5, 0.01, 0.5), read[3][2]);
    }

    [Fact]
    public async Task An_event_stopped_between_its_clusters_is_completed_by_its_redelivery()
    {
        var table = new ObservedEntityTable(NewTable());
        var store = new TableStatsStore(table);
        StatsContribution[] contributions = [new(0, 0, 0.5, 1, 0.01), new(1, 0, 0.5, 1, 0.01)];
        var writes = 0;
        table.FailBefore = _ => ++writes == 2 ? new IOException("instance stopped") : null;
        await Assert.ThrowsAsync<IOException>(() => store.ApplyAsync(1, "e", contributions, Ct));
        table.FailBefore = null;

        var redelivered = await store.ApplyAsync(1, "e", contributions, Ct);

        Assert.Equal(1, redelivered.Applied);
        var read = await store.ReadAsync(1, clusters: 2, models: 1, Ct);
        Assert.Equal(CellStats.Empty.Add(1, 0.01, 0.5), read[0][0]);
        Assert.Equal(CellStats.Empty.Add(1, 0.01, 0.5), read[1][0]);
    }

    [Fact]
    public async Task ReadAsync_returns_clusters_with_feedback_only_each_with_every_model()
    {
        var store = new TableStatsStore(NewTable());
        await store.ApplyAsync(1, "a", [new(1, 4, 1, 0.25, 0.5)], Ct);
        await store.ApplyAsync(1, "b", [new(1, 0, 1, 0.75, 0.1)], Ct);

        var read = await store.ReadAsync(1, clusters: 3, models: 6, Ct);

        var cells = Assert.Single(read);
        Assert.Equal(1, cells.Key);
        Assert.Equal(6, cells.Value.Length);
        Assert.Equal(new CellStats(1, 0.75, 0.1), cells.Value[0]);
        Assert.Equal(new CellStats(1, 0.25, 0.5), cells.Value[4]);
        Assert.All(new[] { 1, 2, 3, 5 }, m => Assert.Equal(CellStats.Empty, cells.Value[m]));
    }

    [Fact]
    public async Task Profile_versions_keep_separate_statistics()
    {
        var store = new TableStatsStore(NewTable());

        await store.ApplyAsync(1, "e", [new(0, 0, 1, 1, 1)], Ct);
        var other = await store.ApplyAsync(2, "e", [new(0, 0, 1, 0, 0)], Ct);

        Assert.Equal(1, other.Applied);
        Assert.Equal(new CellStats(1, 1, 1), (await store.ReadAsync(1, 1, 1, Ct))[0][0]);
        Assert.Equal(new CellStats(1, 0, 0), (await store.ReadAsync(2, 1, 1, Ct))[0][0]);
        Assert.Empty(await store.ReadAsync(3, 1, 1, Ct));
    }

    [Fact]
    public async Task ApplyAsync_of_no_contributions_applies_nothing()
    {
        var store = new TableStatsStore(NewTable());

        var update = await store.ApplyAsync(1, "e", [], Ct);

        Assert.Equal(0, update.Applied);
        Assert.Empty(update.Cells);
        Assert.Empty(await store.ReadAsync(1, 4, 4, Ct));
    }
}

public sealed class MemoryStatsStoreTests : StatsStoreConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.Stats);
}

public sealed class SqliteStatsStoreTests(SqliteFixture sqlite) : StatsStoreConformance, IClassFixture<SqliteFixture>
{
    protected override IEntityTable NewTable() => sqlite.NewTable();
}

public sealed class AzureStatsStoreTests(AzuriteFixture azurite) : StatsStoreConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}
