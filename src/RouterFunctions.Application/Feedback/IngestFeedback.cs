using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Messaging;
using RouterFunctions.Storage;

namespace RouterFunctions.Application.Feedback;

/// <summary>What one feedback message came to.</summary>
public enum IngestResult
{
    /// <summary>Counted in the live statistics of its decision's profile version.</summary>
    Counted,

    /// <summary>Counted, and it asked for a retrain (volume or drift), which is on the retrain queue.</summary>
    CountedAndRetrainRequested,

    /// <summary>Already counted: a redelivery or a resend.</summary>
    Duplicate,

    /// <summary>Stored for retraining; its decision is from another profile version than the loaded one.</summary>
    Stored,

    /// <summary>Unreadable, or failing at its last allowed delivery: kept with its error in the parking lot.</summary>
    Parked,
}

/// <summary>
/// The IngestFeedback consumer: stores the event once, adds it once to the live (cluster, model) statistics of the
/// decision's profile version, and asks for one retrain when volume or drift calls for it. Every step is idempotent,
/// so a redelivery, or a restart mid-way, completes what is missing and counts nothing twice. A message that cannot
/// be read, or whose decision has expired (retention purged it), is parked at once; one that keeps failing is parked
/// at <see cref="FeedbackOptions.ParkAfterDeliveries"/>. Any other failure propagates: the queue redelivers.
/// </summary>
public sealed partial class IngestFeedback(
    IDecisionLog decisions,
    IFeedbackStore feedback,
    IStatsStore stats,
    IRetrainTrigger trigger,
    IParkingLot parking,
    IMessageSender sender,
    ProfileHolder profiles,
    IOptions<FeedbackOptions> options,
    IOptions<StorageOptions> storage,
    RouterTelemetry telemetry,
    TimeProvider time,
    ILogger<IngestFeedback> logger)
{
    public async Task<IngestResult> HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        FeedbackEvent? message;
        try
        {
            message = JsonSerializer.Deserialize<FeedbackEvent>(delivery.Body, ApplicationJson.Web);
            if (message is null || string.IsNullOrEmpty(message.RequestId) || !double.IsFinite(message.Score) || message.Score is < 0 or > 1)
            {
                throw new JsonException("a feedback event needs a requestId and a score in 0..1");
            }
        }
        catch (JsonException e)
        {
            return await ParkAsync(delivery, "unreadable: " + e.Message, cancellationToken);
        }

        if (string.IsNullOrEmpty(message.Id))
        {
            message = message with { Id = delivery.MessageId };
        }

        try
        {
            if (await decisions.GetAsync(message.RequestId, cancellationToken) is not { } decision)
            {
                // Retrying cannot bring back a purged decision; one not found yet may still be on its way to storage:
                // failing lets the queue redeliver.
                return MissingDecisions.Classify(message.RequestId, time.GetUtcNow(), TimeSpan.FromDays(storage.Value.DecisionRetentionDays), TimeSpan.Zero) == MissingDecision.Expired
                    ? await ParkAsync(delivery, "decision expired", cancellationToken)
                    : throw new InvalidOperationException($"no routing decision with requestId '{message.RequestId}'");
            }

            var (result, request) = await IngestAsync(decision, message, cancellationToken);
            if (request is not null)
            {
                // The message id makes a resend after a failure here one retrain, with duplicate detection on the queue.
                await sender.SendAsync(QueueNames.Retrain, [OutgoingMessage.Json(request, $"retrain-v{request.ProfileVersion}-{message.Id}", "retrain")], cancellationToken);
                LogRetrainRequested(logger, request.Reason);
                return result == IngestResult.Duplicate ? result : IngestResult.CountedAndRetrainRequested;
            }

            return result;
        }
        catch (Exception e) when (delivery.DeliveryCount >= options.Value.ParkAfterDeliveries && e is not OperationCanceledException)
        {
            return await ParkAsync(delivery, e.Message, cancellationToken);
        }
    }

    private async Task<(IngestResult Result, RetrainRequest? Request)> IngestAsync(DecisionRecord decision, FeedbackEvent message, CancellationToken cancellationToken)
    {
        using var activity = RouterTelemetry.Traces.StartActivity("ingest-feedback");
        activity?.SetTag("router.request_id", message.RequestId);
        var model = message.Model ?? decision.Model;

        // Stored with the graded model filled in: the statistics page counts per model without reading decisions.
        var added = await feedback.TryAddAsync(message with { Model = model }, cancellationToken);
        var router = profiles.Current;
        var profile = router?.Profile;
        if (added)
        {
            var predicted = profile?.Version == decision.ProfileVersion && profile.IndexOf(model) is var m and >= 0
                ? router!.Estimate(decision.Embedding).Quality[m]
                : (double?)null;
            telemetry.FeedbackObserved(model, message.ReceivedAt - decision.At, predicted, message.Score);
        }

        if (profile is null || profile.Version != decision.ProfileVersion)
        {
            LogStored(logger, message.Id, added, decision.ProfileVersion);
            telemetry.Feedback("stored");
            return (IngestResult.Stored, null); // statistics are per profile version; retraining still uses the stored event
        }

        var update = await stats.ApplyAsync(profile.Version, message.Id, StatsContribution.For(decision, message, profile), cancellationToken);
        telemetry.Feedback(update.Applied > 0 ? "counted" : "duplicate");
        if (update.Applied == 0)
        {
            // A redelivery of the event that claimed a retrain: the claim was written but the request may not have
            // been sent, so send it again — under the same MessageId, so if it did go out the queue drops this one.
            return await trigger.ClaimantAsync(profile.Version, cancellationToken) == message.Id
                ? (IngestResult.Duplicate, new RetrainRequest($"claimed by feedback {message.Id} (sent again on redelivery)", profile.Version))
                : (IngestResult.Duplicate, null);
        }

        // One ETag-guarded update counts the event and, at most once per profile version until a kept retrain resets
        // it, claims a retrain: for volume, or for drift once enough events have come in since the last retrain (so a
        // drift that a retrain could not fix does not ask again on every event).
        var policy = options.Value.Policy;
        var drift = policy.Drift(profile, update.Cells);
        string? reason = null;
        var claimed = await trigger.AddAndClaimAsync(profile.Version, 1, n =>
        {
            reason = n >= policy.VolumeThreshold ? $"volume: {policy.VolumeThreshold} feedback events on profile v{profile.Version}"
                : drift is not null && n >= policy.DriftMinCount ? drift
                : null;
            return reason is not null;
        }, message.Id, cancellationToken);
        return (IngestResult.Counted, claimed ? new RetrainRequest(reason!, profile.Version) : null);
    }

    private async Task<IngestResult> ParkAsync(QueueDelivery delivery, string error, CancellationToken cancellationToken)
    {
        await parking.ParkAsync(new ParkedMessage(QueueNames.Feedback, delivery.MessageId, delivery.Body, delivery.DeliveryCount, error, time.GetUtcNow()), cancellationToken);
        telemetry.Feedback("parked");
        LogParked(logger, delivery.MessageId, delivery.DeliveryCount, error);
        return IngestResult.Parked;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrain requested: {Reason}")]
    private static partial void LogRetrainRequested(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback {EventId} stored (new: {Added}); its decision is from profile v{Version}, not the loaded one: statistics wait for the next retrain")]
    private static partial void LogStored(ILogger logger, string eventId, bool added, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parked feedback message {MessageId} at delivery {DeliveryCount}: {Error}")]
    private static partial void LogParked(ILogger logger, string messageId, int deliveryCount, string error);
}
