using System.Diagnostics;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Stores;

/// <summary>
/// The no-lost-update guarantee of <see cref="TableStatsStore"/> under load: 8 ingesters × 1,000 distinct events on a
/// handful of hot cells, with redeliveries mixed in, must end with exactly the cells a single sequential writer gets.
/// </summary>
public abstract class StatsConcurrencyConformance : StoreConformance
{
    private const int Ingesters = 8;
    private const int EventsEach = 1_000;
    private const int Clusters = 6;
    private const int Models = 11;
    private const int ProfileVersion = 3;
    private const int RedeliverEvery = 25;

    [Fact]
    public async Task Eight_concurrent_ingesters_of_1000_events_each_give_the_sequential_statistics()
    {
        var events = Events(seed: 20_250_601, Ingesters * EventsEach);
        var expected = Sequential(events);
        var table = new ObservedEntityTable(NewTable());
        var store = new TableStatsStore(table);
        var applied = new int[Ingesters];
        var redelivered = new int[Ingesters];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ingesters = Enumerable.Range(0, Ingesters).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var random = new Random(i);
            for (var k = 0; k < EventsEach; k++)
            {
                var e = events[(i * EventsEach) + k];
                applied[i] += (await store.ApplyAsync(ProfileVersion, e.Id, e.Contributions, Ct)).Applied;
                if (k % RedeliverEvery == RedeliverEvery - 1)
                {
                    // A redelivery of any event: already applied by its ingester, or not yet (then this is its first delivery).
                    var again = events[random.Next(events.Count)];
                    applied[i] += (await store.ApplyAsync(ProfileVersion, again.Id, again.Contributions, Ct)).Applied;
                    redelivered[i]++;
                }
            }
        }, Ct)).ToList();

        var clock = Stopwatch.StartNew();
        start.SetResult();
        await Task.WhenAll(ingesters);
        clock.Stop();
        var actual = await store.ReadAsync(ProfileVersion, Clusters, Models, Ct);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{GetType().Name}: {events.Count} events + {redelivered.Sum()} redeliveries by {Ingesters} ingesters in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"{table.Transactions} transactions, {table.Preconditions + table.ConflictsLater} ETag retries, {table.ConflictsAtFirst} redeliveries refused by their marker");
        Assert.Equal(events.Sum(e => e.Contributions.Count), applied.Sum());
        Assert.Equal(Enumerable.Range(0, Clusters).Where(c => expected[c].Any(s => s.Count > 0)), actual.Keys.Order());
        for (var c = 0; c < Clusters; c++)
        {
            for (var m = 0; m < Models; m++)
            {
                AssertClose(expected[c][m].Count, actual[c][m].Count, $"count of cell ({c}, {m})");
                AssertClose(expected[c][m].MeanScore, actual[c][m].MeanScore, $"mean score of cell ({c}, {m})");
                AssertClose(expected[c][m].MeanCost, actual[c][m].MeanCost, $"mean cost of cell ({c}, {m})");
            }
        }
    }

    // Each event: one of 11 models, 1–3 distinct clusters of 6 with weights summing to 1, a score and a cost. Most
    // events touch one cluster (80 %, then 15 % two, 5 % three): every cluster is a transaction plus a read, and
    // Azurite serves about 400 of those a second here, so this keeps the Azurite run well under a minute.
    private static List<(string Id, IReadOnlyList<StatsContribution> Contributions)> Events(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(n =>
        {
            var model = random.Next(Models);
            var (score, cost) = (random.NextDouble(), random.NextDouble() * 0.01);
            var clusters = Enumerable.Range(0, Clusters).OrderBy(_ => random.Next()).Take(random.Next(20) switch { < 16 => 1, < 19 => 2, _ => 3 }).ToList();
            var raw = clusters.Select(_ => 0.05 + random.NextDouble()).ToList();
            IReadOnlyList<StatsContribution> contributions = [.. clusters.Select((c, i) => new StatsContribution(c, model, raw[i] / raw.Sum(), score, cost))];
            return ($"event-{n}", contributions);
        })];
    }

    private static CellStats[][] Sequential(List<(string Id, IReadOnlyList<StatsContribution> Contributions)> events)
    {
        var cells = Enumerable.Range(0, Clusters).Select(_ => new CellStats[Models]).ToArray();
        foreach (var c in events.SelectMany(e => e.Contributions))
        {
            cells[c.Cluster][c.Model] = cells[c.Cluster][c.Model].Add(c.Score, c.Cost, c.Weight);
        }

        return cells;
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        var tolerance = 1e-9 * Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }
}

public sealed class MemoryStatsConcurrencyTests : StatsConcurrencyConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.Stats);
}

public sealed class SqliteStatsConcurrencyTests(SqliteFixture sqlite) : StatsConcurrencyConformance, IClassFixture<SqliteFixture>
{
    protected override IEntityTable NewTable() => sqlite.NewTable();
}

public sealed class AzureStatsConcurrencyTests(AzuriteFixture azurite) : StatsConcurrencyConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}
