using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using RouterFunctions.Application.Retention;
using RouterFunctions.Application.Routing;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Application.Tests.Retention;

public sealed class DecisionFlusherTests : IDisposable
{
    private readonly UseCaseRig _rig = new();
    private readonly DownTable _table = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_storage_down_a_query_is_routed_and_the_failing_flush_says_storage_is_unreachable_until_it_recovers()
    {
        _rig.UseProfile();
        var buffer = new WriteBehindDecisionLog(new TableDecisionLog(_table), 100, _rig.Time, NullLogger<WriteBehindDecisionLog>.Instance);
        _rig.Decisions = buffer;
        using var flusher = new DecisionFlusher(buffer, _rig.Profiles);
        await flusher.StartAsync(Token);

        var outcome = await _rig.RouteQuery().RouteAsync(new RouteCommand("what is 2 + 2?", null, null, null, null), Token);

        Assert.True(outcome.Succeeded);
        await WaitUntil(() => _rig.Profiles.StorageError == DownTable.Error);
        Assert.NotNull(await buffer.GetAsync(outcome.Value.Routed.RequestId, Token)); // kept for its retry

        _table.Down = false;

        // Past the backoff: advanced on every poll, since an advance made before the writer starts its delay is missed.
        await WaitUntil(() =>
        {
            _rig.Time.Advance(TimeSpan.FromSeconds(1));
            return _rig.Profiles.StorageReachable;
        });
        await flusher.StopAsync(Token);
        Assert.Equal(1, buffer.Stats.Flushed);
    }

    public void Dispose() => _rig.Dispose();

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 10_000, "timed out");
            await Task.Delay(10, Token);
        }
    }

    /// <summary>A table whose service is unreachable while <see cref="Down"/>, then an empty working one.</summary>
    private sealed class DownTable : IEntityTable
    {
        public const string Error = "table service unreachable (test)";
        private readonly MemoryEntityTable _inner = new("decisions");

        public bool Down { get; set; } = true;

        public string Name => _inner.Name;

        public Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken) =>
            Down ? throw new IOException(Error) : _inner.GetAsync(partitionKey, rowKey, cancellationToken);

        public async IAsyncEnumerable<TableRow> QueryAsync(string? partitionKey, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var row in Down ? throw new IOException(Error) : _inner.QueryAsync(partitionKey, cancellationToken))
            {
                yield return row;
            }
        }

        public Task<string?> WriteAsync(TableAction action, CancellationToken cancellationToken) =>
            Down ? throw new IOException(Error) : _inner.WriteAsync(action, cancellationToken);

        public Task SubmitAsync(IReadOnlyList<TableAction> actions, CancellationToken cancellationToken) =>
            Down ? throw new IOException(Error) : _inner.SubmitAsync(actions, cancellationToken);
    }
}
