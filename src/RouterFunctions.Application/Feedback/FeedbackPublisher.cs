using RouterFunctions.Core.Feedback;
using RouterFunctions.Messaging;

namespace RouterFunctions.Application.Feedback;

/// <summary>Feedback the router produces itself (a model that failed a chat request), on the feedback queue like any other event.</summary>
public sealed class FeedbackPublisher(IMessageSender sender)
{
    public Task PublishAsync(FeedbackEvent feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        return sender.SendAsync(QueueNames.Feedback, [OutgoingMessage.Json(feedback, feedback.Id, "feedback")], cancellationToken);
    }
}
