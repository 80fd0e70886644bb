namespace RouterFunctions.Chat;

/// <summary>One failed attempt: the model and what went wrong.</summary>
public sealed record ModelFailure(string Model, Exception Error)
{
    public string Reason => ChatFailurePolicy.Describe(Error);
}

/// <summary>
/// No model answered: every attempt failed over, the attempts ran out, or no candidate is configured. The handler
/// answers 503 (or 429 when every <see cref="Failures"/> entry is a 429); the inner exception is the last failure.
/// </summary>
public sealed class ChatFailoverException : Exception
{
    public ChatFailoverException()
        : this("No model answered.")
    {
    }

    public ChatFailoverException(string message)
        : base(message)
    {
        Failures = [];
    }

    public ChatFailoverException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failures = [];
    }

    public ChatFailoverException(string message, IReadOnlyList<ModelFailure> failures, string? requestId = null)
        : base(message, failures?.Count > 0 ? failures[^1].Error : null)
    {
        ArgumentNullException.ThrowIfNull(failures);
        Failures = failures;
        RequestId = requestId;
    }

    public IReadOnlyList<ModelFailure> Failures { get; }

    /// <summary>The routed request whose candidates all failed (so the caller can match it with the recorded feedback); null when not routed.</summary>
    public string? RequestId { get; }
}
