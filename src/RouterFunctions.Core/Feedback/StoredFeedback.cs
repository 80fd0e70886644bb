namespace RouterFunctions.Core.Feedback;

/// <summary>A feedback event as the store holds it, with when the consumer stored it (null for events stored before that was kept).</summary>
public sealed record StoredFeedback(FeedbackEvent Event, DateTimeOffset? StoredAt);
