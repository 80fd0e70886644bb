using System.Text.Json;

namespace RouterFunctions.Handler.Endpoints;

/// <summary>Client mistakes as 400 ValidationProblem naming the field, so a caller can fix the request.</summary>
internal static class Problems
{
    public static IResult Field(string field, string problem) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [problem] },
            detail: $"{field}: {problem}",
            title: "The request is invalid.");

    /// <summary>Maps a deserialisation failure to the JSON path it happened at ("$.policy.costWeight" → "policy.costWeight").</summary>
    public static IResult FromJson(JsonException e)
    {
        var path = e.Path?.TrimStart('$').TrimStart('.');
        return Field(string.IsNullOrEmpty(path) ? "body" : path, "is not valid JSON of the expected shape");
    }

    public static IResult NotReady(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The router has no profile yet.");
}
