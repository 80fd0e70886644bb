namespace RouterFunctions.Core.Feedback;

/// <summary>
/// The body of POST /api/feedback: a score in 0..1 or a verdict, about a routed request. <see cref="Id"/> is the
/// client's idempotency key (the Idempotency-Key header may carry it instead).
/// </summary>
public sealed record FeedbackRequest(
    string? RequestId,
    double? Score,
    string? Verdict,
    string? Model,
    double? Cost,
    double? LatencyMs,
    string? Source,
    string? Id = null)
{
    /// <summary>Verdicts as scores: the model was good enough (even if more than needed), or it was not.</summary>
    public static IReadOnlyDictionary<string, double> Verdicts { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["good_fit"] = 1,
        ["overprovisioned"] = 1,
        ["underpowered"] = 0,
        ["failed"] = 0,
    };

    /// <summary>The first invalid field and why, or null.</summary>
    public (string Field, string Problem)? Validate()
    {
        if (string.IsNullOrWhiteSpace(RequestId) || RequestId.Length > 128)
        {
            return ("requestId", "is required: the requestId that /api/route returned");
        }

        if (Score is null && Verdict is null)
        {
            return ("score", "give a score in 0..1 or a verdict");
        }

        if (Score is { } score && (!double.IsFinite(score) || score is < 0 or > 1))
        {
            return ("score", "must be between 0 and 1");
        }

        if (Verdict is not null && !Verdicts.ContainsKey(Verdict))
        {
            return ("verdict", $"must be one of {string.Join(", ", Verdicts.Keys)}");
        }

        if (Score is { } s && Verdict is { } v && Verdicts[v] != s && Score is not (> 0 and < 1))
        {
            return ("verdict", "contradicts the score");
        }

        if (Cost is { } cost && (!double.IsFinite(cost) || cost < 0))
        {
            return ("cost", "must be a non-negative number of USD");
        }

        if (LatencyMs is { } latency && (!double.IsFinite(latency) || latency < 0))
        {
            return ("latencyMs", "must be a non-negative number");
        }

        if (Model is { Length: > 256 } || Source is { Length: > 256 })
        {
            return (Model is { Length: > 256 } ? "model" : "source", "is longer than 256 characters");
        }

        return null;
    }

    public FeedbackEvent ToEvent(string id, DateTimeOffset receivedAt) =>
        new(id, RequestId!, Score ?? Verdicts[Verdict!], Verdict, Model, Cost, LatencyMs, Source, receivedAt);
}
