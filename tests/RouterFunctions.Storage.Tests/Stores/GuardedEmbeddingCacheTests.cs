using Microsoft.Extensions.Time.Testing;
using RouterFunctions.Core.Embeddings;
using RouterFunctions.Storage.Stores;

namespace RouterFunctions.Storage.Tests.Stores;

public sealed class GuardedEmbeddingCacheTests
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMilliseconds(50);
    private readonly FakeTimeProvider _time = new();
    private readonly HangingCache _inner = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_read_from_a_hung_store_is_a_miss_once_the_timeout_passes()
    {
        await using var cache = new GuardedEmbeddingCache(_inner, ReadTimeout, TimeSpan.FromSeconds(30), _time);

        var read = cache.GetAsync("k", Ct).AsTask();
        Assert.False(read.IsCompleted);
        _time.Advance(ReadTimeout);

        Assert.Null(await read);
    }

    [Fact]
    public async Task After_repeated_failures_the_store_is_skipped_until_the_pause_ends()
    {
        await using var cache = new GuardedEmbeddingCache(_inner, ReadTimeout, TimeSpan.FromSeconds(30), _time);
        for (var i = 0; i < GuardedEmbeddingCache.FailuresToSkip; i++)
        {
            var read = cache.GetAsync("k", Ct).AsTask();
            _time.Advance(ReadTimeout);
            await read;
        }

        var skipped = cache.GetAsync("k", Ct);
        Assert.True(skipped.IsCompleted, "a skipped tier answers at once");
        Assert.Null(await skipped);
        Assert.Equal(GuardedEmbeddingCache.FailuresToSkip, _inner.Reads);

        _time.Advance(TimeSpan.FromSeconds(30));
        _inner.Hang = false;
        var back = await cache.GetAsync("k", Ct);
        Assert.Equal(new[] { 1f }, back);
        Assert.Equal(GuardedEmbeddingCache.FailuresToSkip + 1, _inner.Reads);
    }

    [Fact]
    public async Task A_write_returns_at_once_and_reaches_the_store_in_the_background()
    {
        _inner.Hang = false;
        var cache = new GuardedEmbeddingCache(_inner, ReadTimeout, TimeSpan.FromSeconds(30), _time);

        var write = cache.SetAsync("k", [2f], Ct);
        Assert.True(write.IsCompleted);
        await cache.DisposeAsync(); // drains the queue

        Assert.Equal(["k"], _inner.Written);
    }

    /// <summary>A store that never answers (ignoring cancellation, as a hung socket may) until told otherwise.</summary>
    private sealed class HangingCache : IEmbeddingCache
    {
        private int _reads;

        public bool Hang { get; set; } = true;

        public int Reads => Volatile.Read(ref _reads);

        public List<string> Written { get; } = [];

        public ValueTask<float[]?> GetAsync(string key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return Hang ? new ValueTask<float[]?>(new TaskCompletionSource<float[]?>().Task) : ValueTask.FromResult<float[]?>([1f]);
        }

        public ValueTask SetAsync(string key, float[] vector, CancellationToken cancellationToken)
        {
            lock (Written)
            {
                Written.Add(key);
            }

            return ValueTask.CompletedTask;
        }
    }
}
