namespace RouterFunctions.Application;

/// <summary>What kind of expected outcome stopped a use case; each host maps it once (HTTP: a status code).</summary>
public enum ErrorKind
{
    /// <summary>The caller's input is wrong (names the field).</summary>
    Invalid,

    /// <summary>What the caller refers to does not exist.</summary>
    NotFound,

    /// <summary>The router has no profile yet; retry shortly.</summary>
    NotReady,

    /// <summary>A capability is not configured or no backend can serve (not the caller's fault).</summary>
    Unavailable,

    /// <summary>Every backend that could answer is throttled.</summary>
    Throttled,

    /// <summary>A model refused the request for a reason that is not the caller's to fix.</summary>
    BadGateway,

    /// <summary>The request contradicts what was accepted before under the same key (an idempotency key reused).</summary>
    Conflict,

    /// <summary>What the caller refers to existed but retention has removed it.</summary>
    Gone,
}

/// <summary>An expected outcome other than success, as a value: a use case returns it, a host translates it.</summary>
/// <param name="Field">For <see cref="ErrorKind.Invalid"/>: the input field at fault ("query", "policy.costWeight").</param>
/// <param name="Status">Overrides the host's default status for the kind (a model's own 400/413/422 passed on).</param>
/// <param name="RequestId">The routed request it concerns, so a caller can match it with the feedback recorded for it.</param>
public sealed record UseCaseError(ErrorKind Kind, string Title, string Detail, string? Field = null, int? Status = null, string? RequestId = null)
{
    public static UseCaseError Invalid(string field, string problem) => new(ErrorKind.Invalid, "The request is invalid.", problem, field);

    public static UseCaseError NotFound(string title, string detail) => new(ErrorKind.NotFound, title, detail);

    public static UseCaseError NotReady(string detail) => new(ErrorKind.NotReady, "The router has no profile yet.", detail);

    public static UseCaseError Unavailable(string title, string detail) => new(ErrorKind.Unavailable, title, detail);

    public static UseCaseError Conflict(string title, string detail) => new(ErrorKind.Conflict, title, detail);

    public static UseCaseError Gone(string title, string detail) => new(ErrorKind.Gone, title, detail);
}
