using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Handler.Functions;

/// <summary>
/// The Feedback function: validates a feedback body, checks that the decision it refers to exists, and turns it into
/// the event to enqueue. The same code answers POST /Feedback (from the host) and POST /api/feedback (local mode).
/// </summary>
internal sealed class FeedbackIntake(IDecisionLog decisions, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Outcome(int Status, object Body, FeedbackEvent? Event);

    public async Task<Outcome> AcceptAsync(string body, CancellationToken cancellationToken)
    {
        FeedbackRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<FeedbackRequest>(body, Json);
        }
        catch (JsonException e)
        {
            var path = e.Path?.TrimStart('$').TrimStart('.');
            return Invalid(string.IsNullOrEmpty(path) ? "body" : path, "is not valid JSON of the expected shape");
        }

        if (request is null)
        {
            return Invalid("body", "must be a JSON object");
        }

        if (request.Validate() is { } bad)
        {
            return Invalid(bad.Field, bad.Problem);
        }

        if (await decisions.GetAsync(request.RequestId!, cancellationToken) is null)
        {
            return new Outcome(StatusCodes.Status404NotFound, Problem(404, "Unknown requestId.", $"No routing decision has requestId '{request.RequestId}'."), null);
        }

        var feedback = request.ToEvent(Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), time.GetUtcNow());
        return new Outcome(StatusCodes.Status202Accepted, new { id = feedback.Id, requestId = feedback.RequestId, score = feedback.Score }, feedback);
    }

    private static Outcome Invalid(string field, string problem) =>
        new(StatusCodes.Status400BadRequest, new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [problem] })
        {
            Title = "The request is invalid.",
            Status = 400,
            Detail = $"{field}: {problem}",
        }, null);

    internal static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
