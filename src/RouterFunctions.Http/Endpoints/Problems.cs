using System.Text.Json;
using RouterFunctions.Application;

namespace RouterFunctions.Http.Endpoints;

/// <summary>
/// The one translation of expected outcomes to HTTP: every use-case error becomes a ProblemDetails with the status
/// its kind means; a client mistake is a 400 ValidationProblem naming the field, so a caller can fix the request.
/// </summary>
public static class Problems
{
    public static IResult From(UseCaseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Kind == ErrorKind.Invalid && error.Field is { } field
            ? Field(field, error.Detail)
            : TypedResults.Problem(detail: error.Detail, statusCode: error.Status ?? StatusOf(error.Kind), title: error.Title);
    }

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Gone => StatusCodes.Status410Gone,
        ErrorKind.Throttled => StatusCodes.Status429TooManyRequests,
        ErrorKind.BadGateway => StatusCodes.Status502BadGateway,
        ErrorKind.NotReady or ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult Field(string field, string problem) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [problem] },
            detail: $"{field}: {problem}",
            title: "The request is invalid.");

    /// <summary>Maps a deserialisation failure to the JSON path it happened at ("$.policy.costWeight" → "policy.costWeight").</summary>
    public static IResult FromJson(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var path = e.Path?.TrimStart('$').TrimStart('.');
        return Field(string.IsNullOrEmpty(path) ? "body" : path, "is not valid JSON of the expected shape");
    }

    public static IResult NotUtf8() => Field("body", "is not valid UTF-8 JSON text (or escapes an unpaired surrogate)");
}
