using RouterFunctions.Core.Feedback;
using RouterFunctions.Messaging;

namespace RouterFunctions.Application.Feedback;

/// <summary>
/// The feedback use case: validates a feedback request, checks that the decision it refers to exists, and puts the
/// event on the feedback queue (its id is the message id: the idempotency key all the way to the statistics).
/// </summary>
public sealed class SubmitFeedback(IDecisionLog decisions, IMessageSender sender, TimeProvider time)
{
    public async Task<Outcome<FeedbackEvent>> SubmitAsync(FeedbackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Validate() is { } bad)
        {
            return UseCaseError.Invalid(bad.Field, bad.Problem);
        }

        if (await decisions.GetAsync(request.RequestId!, cancellationToken) is null)
        {
            return UseCaseError.NotFound("Unknown requestId.", $"No routing decision has requestId '{request.RequestId}'.");
        }

        var feedback = request.ToEvent(Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), time.GetUtcNow());
        await sender.SendAsync(QueueNames.Feedback, [OutgoingMessage.Json(feedback, feedback.Id, "feedback")], cancellationToken);
        return feedback;
    }
}
