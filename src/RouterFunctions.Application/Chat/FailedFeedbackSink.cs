using Microsoft.Extensions.Logging;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Chat;
using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Application.Chat;

/// <summary>
/// Records each model that failed a routed chat request as 'failed' feedback on that request (through the feedback
/// queue, like any other event). A failure outside a routed request has no decision to attach to: it is only logged.
/// The event id is the natural key of (requestId, model, "failover"), so recording the same failure again (a retried
/// send, a replayed request) is the same event and is counted once.
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
            new FeedbackEvent(FeedbackKeys.ForNaturalKey(requestId, model, Source), requestId, 0, "failed", model, null, null, $"{Source}: {ChatFailurePolicy.Describe(failure)}", time.GetUtcNow()),
            cancellationToken);
    }

    /// <summary>The source of automatic failover feedback (its key part; the event's source adds the reason).</summary>
    public const string Source = "failover";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} failed: {Reason}")]
    private static partial void LogFailure(ILogger logger, string model, string reason);
}
