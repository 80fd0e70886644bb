using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Stores;

public abstract class FeedbackKeysConformance : StoreConformance
{
    private static readonly DateTimeOffset Now = new(2025, 5, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_first_submission_of_a_key_is_added_and_a_later_one_gets_it_back()
    {
        var keys = new TableFeedbackKeys(NewTable());
        var first = Key("ev-1", RequestIds.New(Now.AddMinutes(-1)), "fp-1", Now);

        var added = await keys.GetOrAddAsync(first, Ct);
        var again = await keys.GetOrAddAsync(first with { Fingerprint = "fp-2", ReceivedAt = Now.AddHours(1) }, Ct);

        Assert.Equal((first, true), added);
        Assert.Equal((first, false), again);
    }

    [Fact]
    public async Task Keys_on_ids_that_are_not_v7_and_with_characters_keys_may_not_hold_work()
    {
        var keys = new TableFeedbackKeys(NewTable());
        string[] ids = ["a/b", "a#b", "a?b", "a\\b", "tab\tid"];

        foreach (var id in ids)
        {
            var key = Key(id, "req/" + id, "fp", Now);
            Assert.Equal((key, true), await keys.GetOrAddAsync(key, Ct));
            Assert.Equal((key, false), await keys.GetOrAddAsync(key with { Fingerprint = "other" }, Ct));
        }
    }

    [Fact]
    public async Task Concurrent_submissions_of_one_key_add_it_once_and_all_see_the_winner()
    {
        var table = NewTable();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requestId = RequestIds.New(Now);
        var calls = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await new TableFeedbackKeys(table).GetOrAddAsync(Key("once", requestId, $"fp-{i}", Now), Ct);
        }, Ct)).ToList();

        start.SetResult();
        var results = await Task.WhenAll(calls);

        var winner = Assert.Single(results, r => r.Added).Stored;
        Assert.All(results, r => Assert.Equal(winner, r.Stored));
    }

    [Fact]
    public async Task The_purge_deletes_keys_of_requestIds_older_than_the_cutoff_and_counts_them()
    {
        var keys = new TableFeedbackKeys(NewTable());
        var cutoff = Now.AddDays(-7);
        var old = Enumerable.Range(0, 130).Select(i => Key($"old-{i}", RequestIds.New(cutoff.AddHours(-1 - (i % 50))), "fp", Now)).ToList();
        var kept = Enumerable.Range(0, 5).Select(i => Key($"new-{i}", RequestIds.New(cutoff.AddMinutes(1 + i)), "fp", Now.AddDays(-8))).ToList();
        var unversionedOld = Key("legacy-old", "req-legacy-1", "fp", cutoff.AddSeconds(-1));
        var unversionedNew = Key("legacy-new", "req-legacy-2", "fp", cutoff.AddSeconds(1));
        foreach (var key in old.Concat(kept).Append(unversionedOld).Append(unversionedNew))
        {
            await keys.GetOrAddAsync(key, Ct);
        }

        var deleted = await keys.PurgeBeforeAsync(cutoff, Ct);
        var again = await keys.PurgeBeforeAsync(cutoff, Ct);

        Assert.Equal((131L, 0L), (deleted, again));
        foreach (var key in kept.Append(unversionedNew))
        {
            Assert.False((await keys.GetOrAddAsync(key with { Fingerprint = "x" }, Ct)).Added, key.EventId + " was purged");
        }

        foreach (var key in old.Take(3).Append(unversionedOld))
        {
            Assert.True((await keys.GetOrAddAsync(key, Ct)).Added, key.EventId + " was kept");
        }
    }

    [Fact]
    public async Task Resends_are_counted_per_day_read_back_for_a_span_and_purged_with_their_day()
    {
        var keys = new TableFeedbackKeys(NewTable());
        await keys.CountResendAsync(Now.AddDays(-2), Ct);
        await keys.CountResendAsync(Now.AddDays(-1), Ct);
        await keys.CountResendAsync(Now.AddDays(-1).AddHours(1), Ct);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => keys.CountResendAsync(Now, Ct)));

        Assert.Equal(5, await keys.ResendsAsync(Now.AddDays(-1), Now, Ct));
        Assert.Equal(6, await keys.ResendsAsync(Now.AddDays(-10), Now, Ct));
        Assert.Equal(1, await keys.PurgeBeforeAsync(Now.AddDays(-1).AddMinutes(-1), Ct));
        Assert.Equal(5, await keys.ResendsAsync(Now.AddDays(-10), Now, Ct));
    }

    private static FeedbackKey Key(string eventId, string requestId, string fingerprint, DateTimeOffset receivedAt) => new(eventId, requestId, fingerprint, receivedAt);
}

public sealed class MemoryFeedbackKeysTests : FeedbackKeysConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.FeedbackKeys);
}

public sealed class AzureFeedbackKeysTests(AzuriteFixture azurite) : FeedbackKeysConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}
