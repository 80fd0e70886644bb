using System.Text.Json;
using Microsoft.Extensions.Options;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Handler.Local;
using RouterFunctions.Storage;

namespace RouterFunctions.Handler.Functions;

/// <summary>
/// Feedback the router produces itself (a model that failed a chat request). Locally it goes on the in-process
/// feedback queue like any other event. Deployed, HTTP-forwarded functions have no output binding, so it is ingested
/// in place: the same idempotent code as IngestFeedback; a retrain it would ask for waits for the next trigger.
/// </summary>
internal sealed class FeedbackPublisher(IOptions<StorageOptions> storage, LocalQueues queues, FeedbackIngestion ingestion)
{
    public async Task PublishAsync(FeedbackEvent feedback, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(feedback, FeedbackIntake.Json);
        if (storage.Value.Mode == StorageMode.Local)
        {
            queues.Feedback.Send(body, feedback.Id);
            return;
        }

        await ingestion.HandleAsync(new QueueDelivery(body, feedback.Id, 1), cancellationToken);
    }
}
