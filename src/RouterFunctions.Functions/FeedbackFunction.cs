using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Http.Endpoints;

namespace RouterFunctions.Functions;

/// <summary>POST /api/feedback: validated, then sent to the feedback queue through the Service Bus SDK (MessageId = event id).</summary>
public sealed class FeedbackFunction(SubmitFeedback feedback)
{
    [Function("Feedback")]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "feedback")] HttpRequest request, CancellationToken cancellationToken) =>
        FeedbackApi.SubmitAsync(request, feedback, cancellationToken);
}
