using System.Threading.Channels;
using RouterFunctions.Core.Embeddings;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// The shared (table) tier kept off the route's critical path: a read waits at most <c>readTimeout</c> (embedding the
/// text again takes about a millisecond, so a slow tier is worse than none), and after <see cref="FailuresToSkip"/>
/// failed or timed-out reads in a row the tier is skipped for <c>skipFor</c>; writes go to a bounded background queue
/// and are dropped when it is full. So a stopped or hung storage account costs a route at most one timeout, then nothing.
/// </summary>
public sealed class GuardedEmbeddingCache : IEmbeddingCache, IAsyncDisposable
{
    public const int FailuresToSkip = 3;

    // A hung write must not hold the queue (or shutdown) for long.
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    private readonly IEmbeddingCache _inner;
    private readonly TimeSpan _readTimeout;
    private readonly TimeSpan _skipFor;
    private readonly TimeProvider _time;
    private readonly Channel<(string Key, float[] Vector)> _writes = Channel.CreateBounded<(string, float[])>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly Task _writer;
    private int _failures;
    private long _skipUntil;

    public GuardedEmbeddingCache(IEmbeddingCache inner, TimeSpan readTimeout, TimeSpan skipFor, TimeProvider time)
    {
        (_inner, _readTimeout, _skipFor, _time) = (inner, readTimeout, skipFor, time);
        _writer = Task.Run(WriteAllAsync);
    }

    public async ValueTask<float[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (_time.GetTimestamp() < Interlocked.Read(ref _skipUntil))
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(_readTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            // WaitAsync: a client that ignores cancellation (a hung socket) still releases the route on time.
            var vector = await _inner.GetAsync(key, linked.Token).AsTask().WaitAsync(_readTimeout, _time, cancellationToken);
            Volatile.Write(ref _failures, 0);
            return vector;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (Interlocked.Increment(ref _failures) >= FailuresToSkip)
            {
                Interlocked.Exchange(ref _skipUntil, _time.GetTimestamp() + (long)(_skipFor.TotalSeconds * _time.TimestampFrequency));
                Volatile.Write(ref _failures, 0);
            }

            return null;
        }
    }

    public ValueTask SetAsync(string key, float[] vector, CancellationToken cancellationToken)
    {
        _writes.Writer.TryWrite((key, vector));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteAllAsync()
    {
        await foreach (var (key, vector) in _writes.Reader.ReadAllAsync())
        {
            try
            {
                using var timeout = new CancellationTokenSource(WriteTimeout, _time);
                await _inner.SetAsync(key, vector, timeout.Token).AsTask().WaitAsync(WriteTimeout, _time);
            }
            catch (Exception)
            {
                // best effort: the text is embedded again next time, or found in an instance's LRU
            }
        }
    }
}
