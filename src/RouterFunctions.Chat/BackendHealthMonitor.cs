using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RouterFunctions.Chat;

/// <summary>
/// The circuit breakers of the configured models, one each (Polly v8, on the injected clock), and their states for
/// routing, /api/health, /api/stats and metrics. <see cref="ChatBackends"/> puts each model's breaker into its client
/// (<see cref="ChatClientBuilderExtensions.UseCircuitBreaker"/>); routing leaves out the models whose circuit is open,
/// so a failing model gets no traffic until its break is over, then one probe call decides whether it is back. Every
/// transition is logged. With <see cref="BreakerOptions.Enabled"/> off there are no breakers and every model reads closed.
/// </summary>
public sealed partial class BackendHealthMonitor : IBackendHealth
{
    private readonly Dictionary<string, BackendBreaker> _breakers = new(StringComparer.Ordinal);
    private readonly List<string> _models;
    private readonly ILogger _logger;

    /// <param name="models">The enabled models' names, in configuration order.</param>
    public BackendHealthMonitor(IEnumerable<string> models, BreakerOptions options, TimeProvider? timeProvider = null, ILogger<BackendHealthMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _models = [.. models.Distinct(StringComparer.Ordinal)];
        if (options.Enabled)
        {
            var time = timeProvider ?? TimeProvider.System;
            foreach (var model in _models)
            {
                _breakers.Add(model, new BackendBreaker(model, options, time, Changed));
            }
        }
    }

    public event EventHandler<BackendTransitionEventArgs>? Transitioned;

    public BreakerOptions Options { get; }

    public IReadOnlyList<BackendState> Snapshot() =>
        [.. _models.Select(m => _breakers.TryGetValue(m, out var breaker) ? breaker.Snapshot() : BackendState.Fresh(m))];

    /// <summary>The state of <paramref name="model"/>'s circuit; null for a model without a breaker (not configured, or breakers off).</summary>
    public BackendState? StateOf(string model) => _breakers.TryGetValue(model, out var breaker) ? breaker.Snapshot() : null;

    internal BackendBreaker? BreakerOf(string model) => _breakers.GetValueOrDefault(model);

    private void Changed(BackendState state, string previous)
    {
        switch (state.State)
        {
            case BackendStates.Open:
                LogOpened(_logger, state.Model, state.Reason, state.RetryAt);
                break;
            case BackendStates.HalfOpen:
                LogHalfOpened(_logger, state.Model, state.Reason);
                break;
            default:
                LogClosed(_logger, state.Model, previous);
                break;
        }

        Transitioned?.Invoke(this, new BackendTransitionEventArgs(state, previous));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit of model {Model} opened ({Reason}): routing leaves it out and no call goes to it until {RetryAt}")]
    private static partial void LogOpened(ILogger logger, string model, string? reason, DateTimeOffset? retryAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit of model {Model} half-open ({Reason})")]
    private static partial void LogHalfOpened(ILogger logger, string model, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit of model {Model} closed (was {Previous}): the model answers again")]
    private static partial void LogClosed(ILogger logger, string model, string previous);
}
