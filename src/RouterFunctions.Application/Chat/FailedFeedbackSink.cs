using Microsoft.Extensions.Logging;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Chat;
using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Application.Chat;

/// <summary>
/// Records each model that failed a routed chat request as 'failed' feedback on that request (through the feedback
/// queue, like any other event). A failure outside a routed request has no decision to attach to: it is only logged.
/// </summary>
public sealed partial class FailedFeedbackSink(FeedbackPublisher publisher, TimeProvider time, ILogger<FailedFeedbackSink> logger) : IModelFailureSink
{
    public Task RecordFailureAsync(string? requestId, string model, Exception failure, CancellationToken cancellationToken)
    {
        if (requestId is null)
        {
            LogFailure(logger, model, ChatFailurePolicy.Describe(failure));
            return Task.CompletedTask;
        }

        return publisher.PublishAsync(
            new FeedbackEvent(Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), requestId, 0, "failed", model, null, null, "failover: " + ChatFailurePolicy.Describe(failure), time.GetUtcNow()),
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} failed: {Reason}")]
    private static partial void LogFailure(ILogger logger, string model, string reason);
}
