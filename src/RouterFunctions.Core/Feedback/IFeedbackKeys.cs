namespace RouterFunctions.Core.Feedback;

/// <summary>An accepted submission under its event id: what a resend of the key must match, and when it was first received.</summary>
public sealed record FeedbackKey(string EventId, string RequestId, string Fingerprint, DateTimeOffset ReceivedAt);

/// <summary>
/// The submit-time ledger of feedback keys: tells a resend (same key, same body: the same event again) from a reuse of
/// the key for other feedback (a conflict). Kept as long as the decisions it refers to.
/// </summary>
public interface IFeedbackKeys
{
    /// <summary>Stores <paramref name="key"/> unless its event id is there; returns what is stored and whether it is new.</summary>
    Task<(FeedbackKey Stored, bool Added)> GetOrAddAsync(FeedbackKey key, CancellationToken cancellationToken);

    /// <summary>Counts one resend on the day of <paramref name="at"/> (best effort: a statistic, not a ledger).</summary>
    Task CountResendAsync(DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Resends counted on the days from <paramref name="first"/> to <paramref name="last"/>.</summary>
    Task<long> ResendsAsync(DateTimeOffset first, DateTimeOffset last, CancellationToken cancellationToken);
}
