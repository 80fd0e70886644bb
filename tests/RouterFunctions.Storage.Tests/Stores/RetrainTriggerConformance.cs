using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Stores;

public abstract class RetrainTriggerConformance : StoreConformance
{
    [Fact]
    public async Task AddAndClaimAsync_claims_once_when_the_count_reaches_the_threshold()
    {
        var trigger = new TableRetrainTrigger(NewTable());
        var claims = new List<bool>();

        for (var i = 0; i < 6; i++)
        {
            claims.Add(await trigger.AddAndClaimAsync(1, 1, n => n >= 4, "event", Ct));
        }

        Assert.Equal([false, false, false, true, false, false], claims);
    }

    [Fact]
    public async Task AddAndClaimAsync_passes_the_running_count_to_due()
    {
        var trigger = new TableRetrainTrigger(NewTable());
        var seen = new List<long>();

        await trigger.AddAndClaimAsync(1, 3, n => { seen.Add(n); return false; }, "event", Ct);
        await trigger.AddAndClaimAsync(1, 2, n => { seen.Add(n); return false; }, "event", Ct);
        await trigger.AddAndClaimAsync(2, 1, n => { seen.Add(n); return false; }, "event", Ct);

        Assert.Equal([3L, 5L, 1L], seen);
    }

    [Fact]
    public async Task Of_many_concurrent_callers_crossing_the_threshold_exactly_one_claims_and_no_event_is_lost()
    {
        var table = NewTable();
        const int callers = 24;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await new TableRetrainTrigger(table).AddAndClaimAsync(7, 1, n => n >= callers, "event", Ct);
        }, Ct)).ToList();

        start.SetResult();
        var claims = await Task.WhenAll(calls);

        // Only the caller that brings the count to exactly 24 can claim: a lost increment would leave none.
        Assert.Equal(1, claims.Count(c => c));
    }

    [Fact]
    public async Task A_claim_without_new_events_is_true_for_the_first_claimant_only()
    {
        var trigger = new TableRetrainTrigger(NewTable());

        var first = await trigger.AddAndClaimAsync(3, 0, _ => true, "event", Ct);
        var second = await trigger.AddAndClaimAsync(3, 0, _ => true, "event", Ct);
        var byVolume = await trigger.AddAndClaimAsync(3, 100, _ => true, "event", Ct);

        Assert.True(first);
        Assert.False(second);
        Assert.False(byVolume);
    }

    [Fact]
    public async Task Concurrent_claims_let_exactly_one_claim()
    {
        var table = NewTable();
        await new TableRetrainTrigger(table).AddAndClaimAsync(2, 5, _ => false, "event", Ct);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await new TableRetrainTrigger(table).AddAndClaimAsync(2, 0, _ => true, "event", Ct);
        }, Ct)).ToList();

        start.SetResult();
        var claims = await Task.WhenAll(calls);

        Assert.Equal(1, claims.Count(c => c));
    }

    [Fact]
    public async Task ResetAsync_counts_from_zero_again_and_allows_a_new_claim()
    {
        var trigger = new TableRetrainTrigger(NewTable());
        Assert.True(await trigger.AddAndClaimAsync(1, 3, n => n >= 3, "event", Ct));
        Assert.False(await trigger.AddAndClaimAsync(1, 0, _ => true, "event", Ct));

        await trigger.ResetAsync(1, Ct);
        var seen = new List<long>();
        var afterOne = await trigger.AddAndClaimAsync(1, 1, n => { seen.Add(n); return n >= 3; }, "event", Ct);
        var afterThree = await trigger.AddAndClaimAsync(1, 2, n => { seen.Add(n); return n >= 3; }, "event", Ct);

        Assert.False(afterOne);
        Assert.True(afterThree);
        Assert.Equal([1L, 3L], seen);
    }

    [Fact]
    public async Task The_claimant_is_remembered_until_a_reset()
    {
        var trigger = new TableRetrainTrigger(NewTable());
        Assert.Null(await trigger.ClaimantAsync(1, Ct));
        Assert.False(await trigger.AddAndClaimAsync(1, 1, n => n >= 2, "first", Ct));
        Assert.Null(await trigger.ClaimantAsync(1, Ct));

        Assert.True(await trigger.AddAndClaimAsync(1, 1, n => n >= 2, "second", Ct));
        Assert.False(await trigger.AddAndClaimAsync(1, 1, n => n >= 2, "third", Ct));
        Assert.Equal("second", await trigger.ClaimantAsync(1, Ct));
        Assert.Null(await trigger.ClaimantAsync(2, Ct));

        await trigger.ResetAsync(1, Ct);
        Assert.Null(await trigger.ClaimantAsync(1, Ct));
    }

    [Fact]
    public async Task Profile_versions_are_counted_and_claimed_separately()
    {
        var trigger = new TableRetrainTrigger(NewTable());

        Assert.True(await trigger.AddAndClaimAsync(1, 0, _ => true, "event", Ct));
        Assert.True(await trigger.AddAndClaimAsync(2, 0, _ => true, "event", Ct));
        Assert.False(await trigger.AddAndClaimAsync(3, 1, n => n >= 2, "event", Ct));
        Assert.True(await trigger.AddAndClaimAsync(3, 1, n => n >= 2, "event", Ct));
    }
}

public sealed class MemoryRetrainTriggerTests : RetrainTriggerConformance
{
    protected override IEntityTable NewTable() => new MemoryEntityTable(TableNames.Stats);
}

public sealed class SqliteRetrainTriggerTests(SqliteFixture sqlite) : RetrainTriggerConformance, IClassFixture<SqliteFixture>
{
    protected override IEntityTable NewTable() => sqlite.NewTable();
}

public sealed class AzureRetrainTriggerTests(AzuriteFixture azurite) : RetrainTriggerConformance, IClassFixture<AzuriteFixture>
{
    protected override IEntityTable NewTable() => azurite.NewTable();
}
