using RouterFunctions.Application;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Http.Endpoints;

/// <summary>POST /api/feedback: validate, check the decision exists, enqueue; 202 with the event's id.</summary>
public static class FeedbackApi
{
    public static async Task<IResult> SubmitAsync(HttpRequest request, SubmitFeedback feedback, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequest.ReadAsync<FeedbackRequest>(request, ApplicationJson.Web, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var outcome = await feedback.SubmitAsync(body, cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Json(new { id = outcome.Value.Id, requestId = outcome.Value.RequestId, score = outcome.Value.Score }, ApplicationJson.Web, statusCode: StatusCodes.Status202Accepted)
            : Problems.From(outcome.Error);
    }
}
