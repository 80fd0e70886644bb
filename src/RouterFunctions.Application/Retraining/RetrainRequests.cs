using RouterFunctions.Core.Feedback;
using RouterFunctions.Messaging;

namespace RouterFunctions.Application.Retraining;

/// <summary>Asks the consumers for a retrain (the nightly timer): one message on the retrain queue.</summary>
public sealed class RetrainRequests(ProfileHolder profiles, IMessageSender sender, TimeProvider time)
{
    /// <summary>Sends one request per UTC day: a timer that fires twice the same day is a duplicate the queue drops.</summary>
    public async Task<RetrainRequest> ScheduleAsync(CancellationToken cancellationToken)
    {
        var request = new RetrainRequest("schedule", profiles.Current?.Profile.Version ?? 0);
        var day = time.GetUtcNow().ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        await sender.SendAsync(QueueNames.Retrain, [OutgoingMessage.Json(request, "retrain-schedule-" + day, "retrain")], cancellationToken);
        return request;
    }
}
