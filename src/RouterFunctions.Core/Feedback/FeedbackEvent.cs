namespace RouterFunctions.Core.Feedback;

/// <summary>
/// One graded outcome of a routed request. <see cref="Id"/> is the idempotency key: the same event delivered twice is
/// stored and counted once. <see cref="Model"/> is the model that answered when it was not the routed one (failover);
/// the consumer stores the event with the graded model filled in (the routed one when none was given).
/// </summary>
public sealed record FeedbackEvent(
    string Id,
    string RequestId,
    double Score,
    string? Verdict,
    string? Model,
    double? Cost,
    double? LatencyMs,
    string? Source,
    DateTimeOffset ReceivedAt);
