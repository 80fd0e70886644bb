using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Storage.Stores;

/// <summary>What the write-behind buffer has done since start (this instance).</summary>
public sealed record DecisionBufferStats(int Capacity, int Buffered, long Flushed, long Dropped, DateTimeOffset? LastFlushAt, string? LastError);

/// <summary>
/// Keeps storage off the route path: <see cref="RecordAsync"/> puts the decision in a bounded buffer and returns; a
/// background loop (<see cref="RunAsync"/>, run by the host) writes batches, grouped by partition, retrying with backoff
/// while storage fails. Until written, a decision is served from the buffer, so feedback that arrives before the flush
/// is accepted. When the buffer is full (storage down long enough) new decisions are dropped, counted and logged:
/// routing keeps answering, and feedback for those ids gets a 404. Trade-off (docs/architecture.md): a decision is
/// lost if the process dies before its flush (milliseconds normally), and another instance finds it only once written.
/// </summary>
public sealed partial class WriteBehindDecisionLog : IDecisionLog
{
    /// <summary>Decisions written per flush at most.</summary>
    public const int BatchSize = 500;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly TableDecisionLog _inner;
    private readonly Channel<DecisionRecord> _channel;
    private readonly ConcurrentDictionary<string, DecisionRecord> _pending = new(StringComparer.Ordinal);

    // A batch taken from the channel whose write was interrupted by shutdown: the final flush writes it first.
    private readonly ConcurrentQueue<List<DecisionRecord>> _interrupted = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _capacity;
    private readonly TimeSpan _linger;
    private long _flushed;
    private long _dropped;
    private DateTimeOffset? _lastFlushAt;
    private string? _lastError;

    /// <param name="linger">How long to wait for a fuller batch when less than one is buffered (zero: write at once).</param>
    public WriteBehindDecisionLog(TableDecisionLog inner, int capacity, TimeProvider time, ILogger<WriteBehindDecisionLog> logger, TimeSpan linger = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        (_inner, _capacity, _time, _logger, _linger) = (inner, capacity, time, logger, linger);
        _channel = Channel.CreateBounded<DecisionRecord>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    }

    /// <summary>Called after each failed flush (the host reports storage as failing) and after each success (null).</summary>
    public Action<string?>? StorageStatus { get; set; }

    public DecisionBufferStats Stats => new(_capacity, _pending.Count, Interlocked.Read(ref _flushed), Interlocked.Read(ref _dropped), _lastFlushAt, _lastError);

    public Task RecordAsync(DecisionRecord decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        _pending[decision.RequestId] = decision;
        if (!_channel.Writer.TryWrite(decision))
        {
            _pending.TryRemove(new KeyValuePair<string, DecisionRecord>(decision.RequestId, decision));
            if (Interlocked.Increment(ref _dropped) is var dropped && (dropped & (dropped - 1)) == 0)
            {
                LogDropped(_logger, dropped, _capacity); // at 1, 2, 4, 8, …: visible without flooding the log
            }
        }

        return Task.CompletedTask;
    }

    public async Task<DecisionRecord?> GetAsync(string requestId, CancellationToken cancellationToken) =>
        _pending.TryGetValue(requestId, out var buffered) ? buffered : await _inner.GetAsync(requestId, cancellationToken);

    public async IAsyncEnumerable<DecisionRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffered = _pending.Values.ToList();
        var seen = new HashSet<string>(buffered.Select(d => d.RequestId), StringComparer.Ordinal);
        foreach (var decision in buffered)
        {
            yield return decision;
        }

        await foreach (var decision in _inner.ListAsync(cancellationToken))
        {
            if (!seen.Contains(decision.RequestId))
            {
                yield return decision;
            }
        }
    }

    /// <summary>Writes batches until <paramref name="stoppingToken"/> is cancelled; then call <see cref="FlushAsync"/>.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _channel.Reader.WaitToReadAsync(stoppingToken))
            {
                if (_linger > TimeSpan.Zero && _channel.Reader.Count < BatchSize)
                {
                    await Task.Delay(_linger, _time, stoppingToken);
                }

                await WriteBatchAsync(retry: true, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes what is buffered now (at shutdown), one attempt per batch, until done or <paramref name="cancellationToken"/>.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (_interrupted.TryPeek(out var batch))
        {
            if (!await WriteAsync(batch, retry: false, cancellationToken))
            {
                return;
            }

            _interrupted.TryDequeue(out _);
        }

        while (_channel.Reader.Count > 0 && await WriteBatchAsync(retry: false, cancellationToken))
        {
        }
    }

    // Takes up to a batch from the buffer and writes it; false when a single attempt failed (retry: false).
    private async Task<bool> WriteBatchAsync(bool retry, CancellationToken cancellationToken)
    {
        var batch = new List<DecisionRecord>(Math.Min(BatchSize, _channel.Reader.Count));
        while (batch.Count < BatchSize && _channel.Reader.TryRead(out var decision))
        {
            batch.Add(decision);
        }

        if (batch.Count == 0)
        {
            return true;
        }

        try
        {
            return await WriteAsync(batch, retry, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _interrupted.Enqueue(batch);
            throw;
        }
    }

    private async Task<bool> WriteAsync(List<DecisionRecord> batch, bool retry, CancellationToken cancellationToken)
    {
        for (var backoff = TimeSpan.FromMilliseconds(100); ; backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks)))
        {
            try
            {
                await _inner.RecordAsync(batch, cancellationToken);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _lastError = e.Message;
                StorageStatus?.Invoke(e.Message);
                LogFlushFailed(_logger, batch.Count, e.Message);
                if (!retry)
                {
                    return false;
                }

                await Task.Delay(backoff, _time, cancellationToken);
            }
        }

        foreach (var decision in batch)
        {
            _pending.TryRemove(new KeyValuePair<string, DecisionRecord>(decision.RequestId, decision));
        }

        Interlocked.Add(ref _flushed, batch.Count);
        (_lastFlushAt, _lastError) = (_time.GetUtcNow(), null);
        StorageStatus?.Invoke(null);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision buffer full ({Capacity}): {Dropped} decisions dropped so far (storage is not keeping up); feedback for them will get 404")]
    private static partial void LogDropped(ILogger logger, long dropped, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} buffered decisions failed (kept, will retry): {Error}")]
    private static partial void LogFlushFailed(ILogger logger, int count, string error);
}
