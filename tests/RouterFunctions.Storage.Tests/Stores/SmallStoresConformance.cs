using RouterFunctions.Core.Data;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Training;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Stores;

public abstract class ParkingLotConformance : StoreConformance
{
    private static readonly DateTimeOffset At = new(2025, 8, 9, 10, 11, 12, TimeSpan.Zero);

    [Fact]
    public async Task Parked_messages_are_listed_with_their_queue_body_count_error_and_time()
    {
        var lot = new TableParkingLot(NewTable());
        ParkedMessage[] messages =
        [
            new("feedback", "m/1", """{"requestId":"x"}""", 5, "no routing decision", At),
            new("feedback", "m#2", "not json", 1, "unreadable", At.AddSeconds(1)),
            new("retrain", "m?3", "{}", 3, "boom", At.AddSeconds(2)),
        ];

        foreach (var m in messages)
        {
            await lot.ParkAsync(m, Ct);
        }

        var listed = await lot.ListAsync(Ct).ToListAsync(Ct);

        Assert.Equal(messages.OrderBy(m => m.MessageId, StringComparer.Ordinal), listed.OrderBy(m => m.MessageId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Parking_a_message_again_keeps_one_entry_with_the_latest_details()
    {
        var lot = new TableParkingLot(NewTable());
        await lot.ParkAsync(new ParkedMessage("feedback", "m1", "body", 5, "first error", At), Ct);
        var latest = new ParkedMessage("feedback", "m1", "body", 6, "second error", At.AddMinutes(1));

        await lot.ParkAsync(latest, Ct);

        Assert.Equal([latest], await lot.ListAsync(Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task A_body_and_an_error_too_large_for_a_property_are_cut_to_fit()
    {
        var lot = new TableParkingLot(NewTable());
        var body = string.Concat(Enumerable.Range(0, 40_000).Select(i => (char)('a' + (i % 26))));
        var error = new string('e', 10_000);

        await lot.ParkAsync(new ParkedMessage("feedback", "big", body, 9, error, At), Ct);

        var listed = Assert.Single(await lot.ListAsync(Ct).ToListAsync(Ct));
        Assert.True(listed.Body.Length <= 32 * 1024, "a string property holds at most 64 KiB of UTF-16");
        Assert.StartsWith(listed.Body, body, StringComparison.Ordinal);
        Assert.True(listed.Body.Length >= 1_000);
        Assert.StartsWith(listed.Error, error, StringComparison.Ordinal);
        Assert.True(listed.Error.Length < error.Length);
    }
}

public abstract class SeedStoreConformance : StoreConformance
{
    [Fact]
    public async Task Examples_round_trip_in_order_across_partitions()
    {
        var store = new TableSeedStore(NewTable());
        var random = new Random(5);
        var examples = Enumerable.Range(0, 250).Select(i => new TrainingExample(
            [.. Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble())],
            Enumerable.Range(0, 1 + (i % 4)).ToDictionary(m => $"model-{m}", m => new ModelOutcome(random.NextDouble(), random.NextDouble() * 1e-3)),
            i % 5 == 0 ? null : $"task-{i % 3}")).ToList();

        await store.SaveAsync(examples, Ct);
        var loaded = await store.LoadAsync(Ct);

        Assert.Equal(examples.Count, loaded.Count);
        for (var i = 0; i < examples.Count; i++)
        {
            Assert.Equal(examples[i].Embedding, loaded[i].Embedding);
            Assert.Equal(examples[i].Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal), loaded[i].Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal));
            Assert.Equal(examples[i].Task, loaded[i].Task);
        }
    }

    [Fact]
    public async Task Nothing_saved_loads_as_no_examples()
    {
        var store = new TableSeedStore(NewTable());

        Assert.Empty(await store.LoadAsync(Ct));
    }
}

public abstract class RetrainLogConformance : StoreConformance
{
    private static readonly DateTimeOffset At = new(2025, 9, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListAsync_returns_outcomes_newest_first_whatever_the_order_recorded()
    {
        var log = new TableRetrainLog(NewTable());
        var outcomes = new[] { 3, 0, 4, 1, 2 }.Select(i => Outcome($"r{i}", At.AddHours(i))).ToList();
        foreach (var o in outcomes)
        {
            await log.RecordAsync(o, Ct);
        }

        var listed = await log.ListAsync(Ct).ToListAsync(Ct);

        Assert.Equal(outcomes.OrderByDescending(o => o.At), listed);
    }

    [Fact]
    public async Task Outcomes_recorded_at_the_same_instant_are_all_kept()
    {
        var log = new TableRetrainLog(NewTable());

        await log.RecordAsync(Outcome("a", At), Ct);
        await log.RecordAsync(Outcome("b", At), Ct);

        Assert.Equal(["a", "b"], (await log.ListAsync(Ct).ToListAsync(Ct)).Select(o => o.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_outcome_without_scores_is_recorded_with_NaN_scores()
    {
        var log = new TableRetrainLog(NewTable());
        var kept = new RetrainOutcome("none", At, "volume", 0, null, double.NaN, double.NaN, 0, "kept: there is no profile to retrain yet");

        await log.RecordAsync(kept, Ct);

        var listed = Assert.Single(await log.ListAsync(Ct).ToListAsync(Ct));
        Assert.Equal(kept, listed);
        Assert.True(double.IsNaN(listed.CurrentScore));
    }

    private static RetrainOutcome Outcome(string id, DateTimeOffset at) =>
        new(id, at, "volume: 100 events", 3, at.Hour % 2 == 0 ? 4 : null, 0.71, 0.73, 40, at.Hour % 2 == 0 ? "published" : "kept");
}

public abstract class EmbeddingCacheConformance : StoreConformance
{
    [Fact]
    public async Task A_miss_returns_null()
    {
        var cache = new TableEmbeddingCache(NewTable());

        Assert.Null(await cache.GetAsync(Core.Embeddings.EmbeddingCacheKey.For("model", "never set"), Ct));
    }

    [Fact]
    public async Task A_vector_set_is_got_back_bit_for_bit()
    {
        var cache = new TableEmbeddingCache(NewTable());
        var random = new Random(3);
        var key = Core.Embeddings.EmbeddingCacheKey.For("BAAI/bge-small-en-v1.5", "what is a router?");
        float[] vector = [.. Enumerable.Range(0, 384).Select(_ => (float)((random.NextDouble() * 2) - 1)), float.MaxValue, -0f, float.NaN];

        await cache.SetAsync(key, vector, Ct);
        var got = await cache.GetAsync(key, Ct);
        var other = await cache.GetAsync(Core.Embeddings.EmbeddingCacheKey.For("BAAI/bge-small-en-v1.5", "what is a router"), Ct);

        Assert.NotNull(got);
        Assert.True(vector.AsSpan().SequenceEqual(got), "the vector's bits differ");
        Assert.Null(other);
    }

    [Fact]
    public async Task Setting_a_key_again_replaces_its_vector()
    {
        var cache = new TableEmbeddingCache(NewTable());

        await cache.SetAsync("k", [1f, 2f], Ct);
        await cache.SetAsync("k", [3f], Ct);
        var got = await cache.GetAsync("k", Ct);

        Assert.Equal(new[] { 3f }, got);
    }
}

public sealed class MemoryParkingLotTests : ParkingLotConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.Parked);
}

public sealed class SqliteParkingLotTests(SqliteFixture sqlite) : ParkingLotConformance, IClassFixture<SqliteFixture>
{
    protected override IEntityTable NewTable() => sqlite.NewTable();
}

public sealed class AzureParkingLotTests(AzuriteFixture azurite) : ParkingLotConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}

public sealed class MemorySeedStoreTests : SeedStoreConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.Seed);
}

public sealed class SqliteSeedStoreTests(SqliteFixture sqlite) : SeedStoreConformance, IClassFixture<SqliteFixture>
{
    protected override IEntityTable NewTable() => sqlite.NewTable();
}

public sealed class AzureSeedStoreTests(AzuriteFixture azurite) : SeedStoreConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}

public sealed class MemoryRetrainLogTests : RetrainLogConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.Retrains);
}

public sealed class SqliteRetrainLogTests(SqliteFixture sqlite) : RetrainLogConformance, IClassFixture<SqliteFixture>
{
    protected override IEntityTable NewTable() => sqlite.NewTable();
}

public sealed class AzureRetrainLogTests(AzuriteFixture azurite) : RetrainLogConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}

public sealed class MemoryEmbeddingCacheTests : EmbeddingCacheConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.Embeddings);
}

public sealed class SqliteEmbeddingCacheTests(SqliteFixture sqlite) : EmbeddingCacheConformance, IClassFixture<SqliteFixture>
{
    protected override IEntityTable NewTable() => sqlite.NewTable();
}

public sealed class AzureEmbeddingCacheTests(AzuriteFixture azurite) : EmbeddingCacheConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}
