using System.Diagnostics;
using System.Diagnostics.Metrics;
using RouterFunctions.Chat;

namespace RouterFunctions.Application;

/// <summary>
/// The router's own traces and metrics (OpenTelemetry picks them up by name): route latency split into embed and score,
/// cache lookups per tier, decisions per model, the out-of-distribution rate, feedback volume and lag, predicted vs
/// observed quality, retrain outcomes, and the backends' circuits (transitions, how many are open, escalations).
/// No prompt or completion text is ever a tag.
/// </summary>
public sealed class RouterTelemetry : IDisposable
{
    public const string Name = "RouterFunctions";

    private readonly Meter _meter;
    private readonly Histogram<double> _routeDuration;
    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _feedback;
    private readonly Histogram<double> _feedbackLag;
    private readonly Histogram<double> _qualityError;
    private readonly Counter<long> _retrains;
    private readonly Counter<long> _circuitTransitions;
    private readonly Counter<long> _escalations;
    private readonly IBackendHealth? _health;

    /// <param name="health">The backends' circuits, when the host has model backends: their transitions are counted and the open ones gauged.</param>
    public RouterTelemetry(IMeterFactory meters, IBackendHealth? health = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(Name);
        _routeDuration = _meter.CreateHistogram<double>("router.route.duration", "ms", "Route latency by stage (embed, score, total).");
        _cacheLookups = _meter.CreateCounter<long>("router.embedding.lookups", description: "Embedding lookups by the tier that answered (memory, table, miss).");
        _decisions = _meter.CreateCounter<long>("router.decisions", description: "Routing decisions by chosen model and out-of-distribution flag.");
        _feedback = _meter.CreateCounter<long>("router.feedback.events", description: "Feedback events by outcome (counted, duplicate, stored, parked).");
        _feedbackLag = _meter.CreateHistogram<double>("router.feedback.lag", "s", "Time from a routing decision to its feedback being ingested.");
        _qualityError = _meter.CreateHistogram<double>("router.feedback.quality_error", description: "Observed score minus the profile's predicted quality, per feedback event.");
        _retrains = _meter.CreateCounter<long>("router.retrains", description: "Retrain runs by outcome (published, kept).");
        _circuitTransitions = _meter.CreateCounter<long>("router.backend.circuit.transitions", description: "Circuit breaker transitions by model and the state entered (open, half-open, closed).");
        _escalations = _meter.CreateCounter<long>("router.route.escalations", description: "Decisions escalated to a model whose circuit is open, because every candidate's was, by model.");
        if (health is not null)
        {
            _health = health;
            _meter.CreateObservableGauge("router.backend.circuits.open", () => health.Snapshot().Count(b => !b.Routable), description: "Model backends whose circuit is open now (excluded from routing).");
            health.Transitioned += OnTransitioned;
        }
    }

    public static ActivitySource Traces { get; } = new(Name);

    public void Routed(double embedMs, double scoreMs, string cacheTier, string model, bool outOfDistribution)
    {
        _routeDuration.Record(embedMs, new KeyValuePair<string, object?>("stage", "embed"));
        _routeDuration.Record(scoreMs, new KeyValuePair<string, object?>("stage", "score"));
        _routeDuration.Record(embedMs + scoreMs, new KeyValuePair<string, object?>("stage", "total"));
        _cacheLookups.Add(1, new KeyValuePair<string, object?>("tier", cacheTier));
        _decisions.Add(1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("ood", outOfDistribution));
    }

    public void Feedback(string outcome) => _feedback.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void FeedbackObserved(string model, TimeSpan lag, double? predicted, double observed)
    {
        _feedbackLag.Record(Math.Max(lag.TotalSeconds, 0));
        if (predicted is { } p)
        {
            _qualityError.Record(observed - p, new KeyValuePair<string, object?>("model", model));
        }
    }

    public void Retrained(bool published) => _retrains.Add(1, new KeyValuePair<string, object?>("outcome", published ? "published" : "kept"));

    public void Escalated(string model) => _escalations.Add(1, new KeyValuePair<string, object?>("model", model));

    public void Dispose()
    {
        if (_health is not null)
        {
            _health.Transitioned -= OnTransitioned;
        }

        _meter.Dispose();
    }

    private void OnTransitioned(object? sender, BackendTransitionEventArgs e) =>
        _circuitTransitions.Add(1, new KeyValuePair<string, object?>("model", e.State.Model), new KeyValuePair<string, object?>("state", e.State.State));
}
