using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests.Stores;

public sealed class WriteBehindDecisionLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly ObservedEntityTable _table = new(new MemoryEntityTable(TableNames.Decisions));
    private readonly FakeTimeProvider _time = new(Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Recording_writes_nothing_and_the_buffered_decision_is_found_before_its_flush()
    {
        var log = NewLog(capacity: 10);
        var decision = Decision(0);

        await log.RecordAsync(decision, Ct);

        Assert.Equal(0, _table.Transactions);
        Assert.Same(decision, await log.GetAsync(decision.RequestId, Ct));
        Assert.Equal(decision.RequestId, Assert.Single(await log.ListAsync(Ct).ToListAsync(Ct)).RequestId);
        Assert.Equal(1, log.Stats.Buffered);
    }

    [Fact]
    public async Task The_writer_flushes_in_batches_and_the_decisions_are_then_read_from_storage()
    {
        var log = NewLog(capacity: 1000);
        var decisions = Enumerable.Range(0, 300).Select(Decision).ToList();
        foreach (var d in decisions)
        {
            await log.RecordAsync(d, Ct);
        }

        using var stop = new CancellationTokenSource();
        var writer = log.RunAsync(stop.Token);
        await WaitUntil(() => log.Stats.Flushed == decisions.Count);
        await stop.CancelAsync();
        await writer;

        Assert.Equal(0, log.Stats.Buffered);
        // One hour: up to one transaction per spread partition of decisions and of their embeddings, plus the hour's index row.
        Assert.InRange(_table.Transactions, 1, 64 + 64 + 1);
        Assert.Equal(decisions.Count, await new TableDecisionLog(_table).ListAsync(Ct).CountAsync(Ct));
    }

    [Fact]
    public async Task A_full_buffer_drops_new_decisions_and_counts_them_without_waiting()
    {
        var log = NewLog(capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            await log.RecordAsync(Decision(i), Ct);
        }

        Assert.Equal(2, log.Stats.Dropped);
        Assert.Equal(3, log.Stats.Buffered);
        Assert.Null(await log.GetAsync(Decision(4).RequestId, Ct));
    }

    [Fact]
    public async Task A_failing_store_is_retried_with_the_decisions_kept_until_it_succeeds_and_each_failure_is_reported()
    {
        var log = NewLog(capacity: 10);
        var failures = 2;
        _table.FailBefore = _ => Interlocked.Decrement(ref failures) >= 0 ? new IOException("storage is down") : null;
        var reported = new List<string?>();
        log.StorageStatus = reported.Add;
        await log.RecordAsync(Decision(0), Ct);

        using var stop = new CancellationTokenSource();
        var writer = log.RunAsync(stop.Token);
        await WaitUntil(() => reported.Count > 0);
        Assert.NotNull(await log.GetAsync(Decision(0).RequestId, Ct)); // still served from the buffer

        // Past each backoff: advanced on every poll, since an advance made before the writer starts its delay is missed.
        await WaitUntil(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return log.Stats.Flushed == 1;
        });
        await stop.CancelAsync();
        await writer;

        Assert.Equal(["storage is down", "storage is down", null], reported);
        Assert.NotNull(await new TableDecisionLog(_table).GetAsync(Decision(0).RequestId, Ct));
    }

    [Fact]
    public async Task Flushing_at_shutdown_writes_what_is_buffered()
    {
        var log = NewLog(capacity: 2000);
        for (var i = 0; i < 1200; i++)
        {
            await log.RecordAsync(Decision(i), Ct);
        }

        await log.FlushAsync(Ct);

        Assert.Equal(1200, log.Stats.Flushed);
        Assert.Equal(1200, await new TableDecisionLog(_table).ListAsync(Ct).CountAsync(Ct));
    }

    [Fact]
    public async Task A_batch_whose_retry_was_interrupted_by_shutdown_is_written_by_the_final_flush()
    {
        var log = NewLog(capacity: 10);
        _table.FailBefore = _ => new IOException("storage is down");
        var reported = 0;
        log.StorageStatus = _ => Interlocked.Increment(ref reported);
        await log.RecordAsync(Decision(0), Ct);
        using var stop = new CancellationTokenSource();
        var writer = log.RunAsync(stop.Token);
        await WaitUntil(() => Volatile.Read(ref reported) > 0); // taken from the buffer, failed, waiting to retry

        await stop.CancelAsync();
        await writer;
        _table.FailBefore = null;
        await log.FlushAsync(Ct);

        Assert.Equal(1, log.Stats.Flushed);
        Assert.NotNull(await new TableDecisionLog(_table).GetAsync(Decision(0).RequestId, Ct));
    }

    [Fact]
    public async Task Flushing_at_shutdown_gives_up_on_a_failing_store_instead_of_hanging()
    {
        var log = NewLog(capacity: 10);
        _table.FailBefore = _ => new IOException("storage is down");
        await log.RecordAsync(Decision(0), Ct);

        await log.FlushAsync(Ct);

        Assert.Equal(0, log.Stats.Flushed);
        Assert.Equal("storage is down", log.Stats.LastError);
    }

    private WriteBehindDecisionLog NewLog(int capacity) =>
        new(new TableDecisionLog(_table), capacity, _time, NullLogger<WriteBehindDecisionLog>.Instance);

    // One record per index for the whole test: a new id is random in its low bits.
    private readonly Dictionary<int, DecisionRecord> _decisions = [];

    private DecisionRecord Decision(int i) => _decisions.TryGetValue(i, out var d) ? d
        : _decisions[i] = new(RequestIds.New(Start.AddMilliseconds(i)), 1, "model-a", [new(0, 1)], [i, 1, 2], Start.AddMilliseconds(i));

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 10_000, "timed out");
            await Task.Delay(10, Ct);
        }
    }
}
