using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Stores;

public abstract class FeedbackStoreConformance : StoreConformance
{
    private static readonly DateTimeOffset Day = new(2025, 5, 20, 23, 59, 58, TimeSpan.Zero);

    [Fact]
    public async Task TryAddAsync_is_true_for_a_new_id_and_false_for_the_same_id_again()
    {
        var store = new TableFeedbackStore(NewTable());
        var original = Event("ev-1", score: 0.25);

        var first = await store.TryAddAsync(original, Ct);
        var again = await store.TryAddAsync(original with { Score = 1, Verdict = "good_fit" }, Ct);

        Assert.True(first);
        Assert.False(again);
        Assert.Equal([original], await store.ListAsync(Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task Every_field_round_trips_including_missing_ones()
    {
        var store = new TableFeedbackStore(NewTable());
        var full = new FeedbackEvent("full", "req-1", 0.125, "underpowered", "model-a", 0.0042, 1234.5, "ui", Day.AddTicks(7));
        var sparse = new FeedbackEvent("sparse", "req-2", 1, null, null, null, null, null, Day);

        await store.TryAddAsync(full, Ct);
        await store.TryAddAsync(sparse, Ct);
        var listed = await store.ListAsync(Ct).ToListAsync(Ct);

        Assert.Equal(2, listed.Count);
        Assert.Equal(full, Assert.Single(listed, e => e.Id == "full"));
        Assert.Equal(sparse, Assert.Single(listed, e => e.Id == "sparse"));
    }

    [Fact]
    public async Task Ids_with_characters_keys_may_not_hold_work()
    {
        var store = new TableFeedbackStore(NewTable());
        string[] ids = ["a/b", "a#b", "a?b", "a\\b", "tab\tid"];

        foreach (var id in ids)
        {
            Assert.True(await store.TryAddAsync(Event(id), Ct));
            Assert.False(await store.TryAddAsync(Event(id), Ct));
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), (await store.ListAsync(Ct).ToListAsync(Ct)).Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListAsync_returns_every_event_once_across_days()
    {
        var store = new TableFeedbackStore(NewTable());
        var events = Enumerable.Range(0, 30).Select(i => Event($"ev-{i}", score: i / 30.0, receivedAt: Day.AddHours(i * 5))).ToList();
        foreach (var e in events)
        {
            await store.TryAddAsync(e, Ct);
        }

        var listed = await store.ListAsync(Ct).ToListAsync(Ct);

        Assert.Equal(events.OrderBy(e => e.Id, StringComparer.Ordinal), listed.OrderBy(e => e.Id, StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListReceivedAsync_reads_the_span_only_with_when_each_event_was_stored()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Day.AddMinutes(5));
        var store = new TableFeedbackStore(NewTable(), time);
        var events = Enumerable.Range(0, 30).Select(i => Event($"ev-{i}", receivedAt: Day.AddHours(-i * 5))).ToList();
        foreach (var e in events)
        {
            await store.TryAddAsync(e, Ct);
        }

        var listed = await store.ListReceivedAsync(Day.AddHours(-24), Day, Ct).ToListAsync(Ct);

        Assert.Equal(events.Where(e => e.ReceivedAt >= Day.AddHours(-24)).Select(e => e.Id).Order(StringComparer.Ordinal), listed.Select(s => s.Event.Id).Order(StringComparer.Ordinal));
        Assert.All(listed, s => Assert.Equal(Day.AddMinutes(5), s.StoredAt));
        Assert.Equal(events.Single(e => e.Id == "ev-0"), listed.Single(s => s.Event.Id == "ev-0").Event);
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_store_it_once()
    {
        var table = NewTable();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await new TableFeedbackStore(table).TryAddAsync(Event("once"), Ct);
        }, Ct)).ToList();

        start.SetResult();
        var added = await Task.WhenAll(calls);

        Assert.Equal(1, added.Count(a => a));
        Assert.Single(await new TableFeedbackStore(table).ListAsync(Ct).ToListAsync(Ct));
    }

    private static FeedbackEvent Event(string id, double score = 0.5, DateTimeOffset? receivedAt = null) =>
        new(id, "req-" + id, score, null, "model-a", 0.001, 250, "test", receivedAt ?? Day);
}

public sealed class MemoryFeedbackStoreTests : FeedbackStoreConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.Feedback);
}

public sealed class SqliteFeedbackStoreTests(SqliteFixture sqlite) : FeedbackStoreConformance, IClassFixture<SqliteFixture>
{
    protected override IEntityTable NewTable() => sqlite.NewTable();
}

public sealed class AzureFeedbackStoreTests(AzuriteFixture azurite) : FeedbackStoreConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}
