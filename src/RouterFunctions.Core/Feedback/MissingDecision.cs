namespace RouterFunctions.Core.Feedback;

/// <summary>What a requestId without a stored decision means, from the time its v7 id carries.</summary>
public enum MissingDecision
{
    /// <summary>Not an id the router made recently or within retention (forged, foreign, or from the future).</summary>
    Unknown,

    /// <summary>Made moments ago: its decision may still be on its way to storage (written behind, or by another instance).</summary>
    Pending,

    /// <summary>Older than the retention: its decision existed and was purged.</summary>
    Expired,
}

public static class MissingDecisions
{
    public static MissingDecision Classify(string? requestId, DateTimeOffset now, TimeSpan retention, TimeSpan pending)
    {
        if (RequestIds.CreatedAt(requestId) is not { } created)
        {
            return MissingDecision.Unknown;
        }

        var age = now - created;
        return age > retention ? MissingDecision.Expired
            : age >= -pending && age <= pending ? MissingDecision.Pending
            : MissingDecision.Unknown;
    }
}
