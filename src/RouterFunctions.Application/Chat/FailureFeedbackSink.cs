using RouterFunctions.Application.Feedback;
using RouterFunctions.Chat;
using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Application.Chat;

/// <summary>Records each model that failed a routed chat request as 'failed' feedback on that request.</summary>
public sealed class FailureFeedbackSink(string requestId, FeedbackPublisher publisher, TimeProvider time) : IModelFailureSink
{
    public Task RecordFailureAsync(string model, Exception failure, CancellationToken cancellationToken) =>
        publisher.PublishAsync(
            new FeedbackEvent(Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), requestId, 0, "failed", model, null, null, "failover: " + ChatFailurePolicy.Describe(failure), time.GetUtcNow()),
            cancellationToken);
}
