using Polly;
using Polly.CircuitBreaker;

namespace RouterFunctions.Chat;

/// <summary>
/// One model's circuit: a Polly circuit breaker over the calls to it, plus what Polly does not do itself.
/// <list type="bullet">
/// <item>Polly opens the circuit on the failure ratio (see <see cref="BreakerOptions"/>), keeps it open for the break
/// (or a 429's Retry-After, when longer: the break-duration generator reads it) and lets one probe through after it.</item>
/// <item>A 429 with Retry-After that does not trip the ratio still holds the circuit open that long: Polly's manual
/// control isolates it, and after the Retry-After one call is let through as a probe here (an isolated Polly circuit
/// has no half-open of its own); its outcome closes the circuit or holds it again.</item>
/// <item>An escalated call (every candidate open) goes straight to the model: it is the one call routing chose to make
/// anyway. If it answers, the circuit closes (the model is back); if not, only the failure is counted.</item>
/// </list>
/// The state routing reads (<see cref="Snapshot"/>) is kept here from Polly's callbacks, which run before the failing
/// call returns; an open circuit whose break is over reads "half-open" at once, although Polly only moves to half-open
/// when the next call arrives, so routing sends that call.
/// </summary>
internal sealed class BackendBreaker
{
    private static readonly ResiliencePropertyKey<TimeSpan> RetryAfterKey = new("router.breaker.retry-after");
    private static readonly ResiliencePropertyKey<int> FailureCountKey = new("router.breaker.failure-count");
    private static readonly ResiliencePropertyKey<bool> OpenedCircuitKey = new("router.breaker.opened");

    private readonly Lock _lock = new();
    private readonly BreakerOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<BackendState, string> _changed;
    private readonly CircuitBreakerManualControl _control = new();
    private readonly ResiliencePipeline _pipeline;

    // Guarded by _lock.
    private string _state = BackendStates.Closed;
    private string? _reason;
    private DateTimeOffset? _since;
    private DateTimeOffset? _retryAt;
    private DateTimeOffset? _heldUntil;
    private string? _holdReason;
    private bool _probing;
    private long _failures;
    private long _successes;

    /// <param name="changed">Told every transition (the new state, the previous state's name), outside the lock.</param>
    public BackendBreaker(string model, BreakerOptions options, TimeProvider time, Action<BackendState, string> changed)
    {
        Model = model;
        _options = options;
        _time = time;
        _changed = changed;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                ManualControl = _control,
                ShouldHandle = args => ValueTask.FromResult(Counts(args.Outcome.Exception, args.Context)),
                BreakDurationGenerator = args => ValueTask.FromResult(BreakFor(args)),
                OnOpened = args =>
                {
                    Opened(args);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    Enter(BackendStates.HalfOpen, "probing: the break is over, one call is let through", retryAt: null);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    Enter(BackendStates.Closed, reason: null, retryAt: null);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public string Model { get; }

    public BackendState Snapshot()
    {
        lock (_lock)
        {
            return Snapshot_NeedsLock(_time.GetUtcNow());
        }
    }

    /// <summary>
    /// Runs one call to the model through the circuit. Throws <see cref="BrokenCircuitException"/> without calling when
    /// the circuit is open (or a probe is already under way), unless <paramref name="bypass"/> (an escalated call).
    /// </summary>
    public async ValueTask<TResult> ExecuteAsync<TState, TResult>(
        Func<TState, CancellationToken, ValueTask<TResult>> call, TState state, bool bypass, CancellationToken cancellationToken)
    {
        var probe = !bypass && EnterHeld();
        if (!bypass && !probe)
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            try
            {
                return await _pipeline.ExecuteAsync(
                    static (context, s) => s.Call(s.State, context.CancellationToken), context, (Call: call, State: state));
            }
            catch (Exception e) when (e is not BrokenCircuitException && ChatFailurePolicy.StatusOf(e) == 429
                && !context.Properties.TryGetValue(OpenedCircuitKey, out _)
                && RetryAfterHeader.Of(e, _time.GetUtcNow()) is { } wait && wait > TimeSpan.Zero)
            {
                // Below the failure ratio, so Polly did not open the circuit: hold it open for the Retry-After.
                await HoldAsync(wait);
                throw;
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        // A probe after a Retry-After hold, or an escalated call: straight to the model, Polly's circuit is not asked.
        TResult result;
        try
        {
            result = await call(state, cancellationToken);
        }
        catch (Exception e)
        {
            OutsideFailed(e, probe, cancellationToken);
            throw;
        }

        await OutsideSucceededAsync();
        return result;
    }

    private BackendState Snapshot_NeedsLock(DateTimeOffset now)
    {
        var (state, reason) = (_state, _reason);
        if (state == BackendStates.Open && _retryAt is { } at && now >= at)
        {
            // Polly moves to half-open only when a call comes; routing must send one for that to happen.
            (state, reason) = (BackendStates.HalfOpen, $"{reason}; the break is over, the next call probes");
        }

        return new BackendState(Model, state, reason, _since, _retryAt, _failures, _successes);
    }

    /// <summary>Polly's predicate: which outcomes are the model's failures. It also counts, and keeps a 429's Retry-After for the break.</summary>
    private bool Counts(Exception? error, ResilienceContext context)
    {
        if (error is null)
        {
            Interlocked.Increment(ref _successes);
            return false;
        }

        if (error is BrokenCircuitException || !ChatFailurePolicy.IsRetryable(error, context.CancellationToken))
        {
            // The request's fault (400, the caller's cancellation), not the model's: the model answered.
            return false;
        }

        Interlocked.Increment(ref _failures);
        if (ChatFailurePolicy.StatusOf(error) == 429 && RetryAfterHeader.Of(error, _time.GetUtcNow()) is { } wait)
        {
            context.Properties.Set(RetryAfterKey, Capped(wait));
        }

        return true;
    }

    private TimeSpan BreakFor(BreakDurationGeneratorArguments args)
    {
        args.Context.Properties.Set(FailureCountKey, args.FailureCount);
        // This call opened the circuit; its Retry-After (if any) is in the break, so the call needs no hold of its own.
        args.Context.Properties.Set(OpenedCircuitKey, true);
        return args.Context.Properties.TryGetValue(RetryAfterKey, out var wait) && wait > _options.BreakDuration ? wait : _options.BreakDuration;
    }

    private void Opened(OnCircuitOpenedArguments<object> args)
    {
        var now = _time.GetUtcNow();
        BackendState state;
        string previous;
        lock (_lock)
        {
            previous = _state;
            if (args.IsManual)
            {
                // Isolated by HoldAsync, which set the hold first.
                (_reason, _retryAt) = (_holdReason ?? "held open", _heldUntil);
            }
            else
            {
                var last = args.Outcome.Exception is { } error ? ChatFailurePolicy.Describe(error) : "unknown";
                var count = args.Context.Properties.GetValue(FailureCountKey, 0);
                _reason = previous == BackendStates.HalfOpen
                    ? $"probe failed: {last}"
                    : $"circuit open: {count} failures in {ShortDuration.Of(_options.SamplingDuration)} (last: {last})";
                if (args.BreakDuration > _options.BreakDuration)
                {
                    _reason += $"; Retry-After {ShortDuration.Of(args.BreakDuration)}";
                }

                _retryAt = now + args.BreakDuration;
            }

            (_state, _since) = (BackendStates.Open, now);
            state = Snapshot_NeedsLock(now);
        }

        _changed(state, previous);
    }

    private void Enter(string next, string? reason, DateTimeOffset? retryAt)
    {
        var now = _time.GetUtcNow();
        BackendState state;
        string previous;
        lock (_lock)
        {
            previous = _state;
            (_state, _reason, _since, _retryAt) = (next, reason, now, retryAt);
            if (next == BackendStates.Closed)
            {
                (_heldUntil, _holdReason, _probing) = (null, null, false);
            }

            state = Snapshot_NeedsLock(now);
        }

        if (previous != next)
        {
            _changed(state, previous);
        }
    }

    /// <summary>
    /// Before a call: false when no Retry-After hold is in place (Polly decides). Throws while the hold lasts or while
    /// its probe is under way; true when this call is the probe after it.
    /// </summary>
    private bool EnterHeld()
    {
        var now = _time.GetUtcNow();
        BackendState state;
        string previous;
        lock (_lock)
        {
            if (_heldUntil is not { } held)
            {
                return false;
            }

            if (now < held)
            {
                throw new BrokenCircuitException($"The circuit of model '{Model}' is open until {held:O} ({_reason}).", held - now);
            }

            if (_probing)
            {
                throw new BrokenCircuitException($"The circuit of model '{Model}' is half-open and its probe call is under way.");
            }

            previous = _state;
            _probing = true;
            (_state, _reason, _since, _retryAt) = (BackendStates.HalfOpen, "probing: the Retry-After is over, one call is let through", now, null);
            state = Snapshot_NeedsLock(now);
        }

        _changed(state, previous);
        return true;
    }

    /// <summary>After a 429 with Retry-After: no call until then, unless the circuit is already open at least that long.</summary>
    private async ValueTask HoldAsync(TimeSpan wait)
    {
        var until = _time.GetUtcNow() + Capped(wait);
        lock (_lock)
        {
            if ((_state == BackendStates.Open && _retryAt >= until) || _heldUntil >= until)
            {
                return;
            }

            (_heldUntil, _holdReason) = (until, $"http 429: Retry-After {ShortDuration.Of(wait)}");
        }

        await _control.IsolateAsync(CancellationToken.None);
    }

    private void OutsideFailed(Exception error, bool probe, CancellationToken cancellationToken)
    {
        if (!ChatFailurePolicy.IsRetryable(error, cancellationToken))
        {
            if (probe)
            {
                // Cancelled by the caller, or refused as a bad request: says nothing about the model. Let another probe come.
                lock (_lock)
                {
                    _probing = false;
                }
            }

            return;
        }

        Interlocked.Increment(ref _failures);
        if (!probe)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var wait = RetryAfterHeader.Of(error, now) is { } asked && Capped(asked) > _options.BreakDuration ? Capped(asked) : _options.BreakDuration;
        BackendState state;
        string previous;
        lock (_lock)
        {
            previous = _state;
            _probing = false;
            _heldUntil = now + wait;
            (_state, _reason, _since, _retryAt) = (BackendStates.Open, $"probe failed: {ChatFailurePolicy.Describe(error)}", now, _heldUntil);
            state = Snapshot_NeedsLock(now);
        }

        _changed(state, previous);
    }

    private async ValueTask OutsideSucceededAsync()
    {
        Interlocked.Increment(ref _successes);
        bool close;
        lock (_lock)
        {
            close = _state != BackendStates.Closed;
            (_heldUntil, _holdReason, _probing) = (null, null, false);
        }

        if (close)
        {
            // Polly's OnClosed records the transition.
            await _control.CloseAsync(CancellationToken.None);
        }
    }

    private TimeSpan Capped(TimeSpan wait) => wait > _options.MaxRetryAfter ? _options.MaxRetryAfter : wait;
}
