using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RouterFunctions.Core.Feedback;

/// <summary>
/// Idempotency of feedback: every event's id is derived from a key, so a resend of the same feedback gets the same id
/// and Service Bus duplicate detection (MessageId), the feedback ledger and the statistics all drop it. The key is the
/// client's (Idempotency-Key header or body "id", scoped to the requestId), else the natural key of what is graded:
/// requestId + model + source.
/// </summary>
public static class FeedbackKeys
{
    public const int MaxLength = 128;

    /// <summary>Why <paramref name="key"/> cannot be a client key, or null when it can.</summary>
    public static string? Problem(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > MaxLength)
        {
            return $"must be 1 to {MaxLength} characters";
        }

        // A conservative set that covers UUIDs, ULIDs, base64 and dotted names, and is safe in headers and logs.
        return key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '~' or '+' or '/' or '=')
            ? null
            : "may hold only ASCII letters, digits and - _ . : ~ + / =";
    }

    /// <summary>The event id of a client key: the same key on the same requestId is the same event.</summary>
    public static string ForClientKey(string requestId, string key) => Id($"client\n{requestId}\n{key}");

    /// <summary>
    /// The event id of the natural key. <paramref name="model"/> is the graded model as given; naming the routed model
    /// is the same as naming none (<see cref="GradedModel"/>), so both spellings of one grade are one event.
    /// </summary>
    public static string ForNaturalKey(string requestId, string? model, string? source) => Id($"natural\n{requestId}\n{model}\n{source}");

    /// <summary>The model as a key part: null when it is the routed one or unknown, so it does not depend on the decision being stored yet.</summary>
    public static string? GradedModel(string? given, string? routed) => given is null || given == routed ? null : given;

    /// <summary>What a resend must repeat to be the same submission: everything graded, not when it was sent.</summary>
    public static string Fingerprint(FeedbackEvent feedback, string? routedModel)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var text = string.Join('\n',
            feedback.RequestId,
            feedback.Score.ToString("R", CultureInfo.InvariantCulture),
            feedback.Verdict,
            GradedModel(feedback.Model, routedModel),
            feedback.Cost?.ToString("R", CultureInfo.InvariantCulture),
            feedback.LatencyMs?.ToString("R", CultureInfo.InvariantCulture),
            feedback.Source);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    // 32 hex digits, like the v7 ids events had: fits a Service Bus MessageId and a table key.
    private static string Id(string material) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)))[..32];
}
