using RouterFunctions.Application;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Http.Endpoints;

/// <summary>
/// POST /api/feedback: validate, check the decision exists, enqueue; 202 with the event's id, the same id again for a
/// resend of the same key (Idempotency-Key header, body "id", or the natural key) and body.
/// </summary>
public static class FeedbackApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static async Task<IResult> SubmitAsync(HttpRequest request, SubmitFeedback feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (body, problem) = await JsonRequest.ReadAsync<FeedbackRequest>(request, ApplicationJson.Web, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var headers = request.Headers[IdempotencyKeyHeader];
        if (headers.Count > 1)
        {
            return Problems.Field(IdempotencyKeyHeader, "is given more than once");
        }

        var outcome = await feedback.SubmitAsync(body, headers.Count == 1 ? headers[0] : null, cancellationToken);
        if (!outcome.Succeeded)
        {
            return Problems.From(outcome.Error);
        }

        var e = outcome.Value.Event;
        return TypedResults.Json(
            new { id = e.Id, requestId = e.RequestId, score = e.Score, duplicate = outcome.Value.Resent },
            ApplicationJson.Web,
            statusCode: StatusCodes.Status202Accepted);
    }
}
