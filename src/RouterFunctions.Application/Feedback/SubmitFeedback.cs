using System.Globalization;
using Microsoft.Extensions.Options;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Messaging;
using RouterFunctions.Storage;

namespace RouterFunctions.Application.Feedback;

/// <summary>An accepted feedback event; <see cref="Resent"/> when it repeats an earlier submission of its key.</summary>
public sealed record SubmittedFeedback(FeedbackEvent Event, bool Resent);

/// <summary>
/// The feedback use case: validates a feedback request, checks that the decision it refers to exists (or is still on
/// its way), and puts the event on the feedback queue. The event id comes from the idempotency key (the client's, else
/// the natural one), and is the message id: the idempotency key all the way to the statistics. The key ledger tells
/// a resend (the same event again: same id, sent again) from a reuse of the key for other feedback (a conflict).
/// </summary>
public sealed class SubmitFeedback(
    IDecisionLog decisions,
    IFeedbackKeys keys,
    IMessageSender sender,
    IOptions<FeedbackOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider time)
{
    /// <param name="idempotencyKey">The Idempotency-Key header, when the request had one.</param>
    public async Task<Outcome<SubmittedFeedback>> SubmitAsync(FeedbackRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Validate() is { } bad)
        {
            return UseCaseError.Invalid(bad.Field, bad.Problem);
        }

        var (key, keyError) = ClientKey(request.Id, idempotencyKey);
        if (keyError is not null)
        {
            return keyError;
        }

        var now = time.GetUtcNow();
        var requestId = request.RequestId!;
        var decision = await decisions.GetAsync(requestId, cancellationToken);
        if (decision is null && Missing(requestId, now) is { } missing)
        {
            return missing;
        }

        var id = key is not null
            ? FeedbackKeys.ForClientKey(requestId, key)
            : FeedbackKeys.ForNaturalKey(requestId, FeedbackKeys.GradedModel(request.Model, decision?.Model), request.Source);
        var feedback = request.ToEvent(id, now);
        var fingerprint = FeedbackKeys.Fingerprint(feedback, decision?.Model);
        var (stored, added) = await keys.GetOrAddAsync(new FeedbackKey(id, requestId, fingerprint, now), cancellationToken);
        if (stored.Fingerprint != fingerprint)
        {
            return UseCaseError.Conflict(
                "The idempotency key was used for other feedback.",
                key is not null
                    ? $"Idempotency key '{key}' was accepted on {stored.ReceivedAt:O} for requestId '{requestId}' with another body; send a new key for new feedback, or the same body to resend."
                    : $"Feedback from source '{request.Source}' on model '{request.Model ?? decision?.Model}' for requestId '{requestId}' was accepted on {stored.ReceivedAt:O} with another body; give an Idempotency-Key (or id) to send more than one.");
        }

        if (!added)
        {
            // A resend: the event as first received (its receipt time places it in the store), sent again in case the
            // first send was lost after the ledger write; if it did go out, duplicate detection drops this one.
            feedback = feedback with { ReceivedAt = stored.ReceivedAt };
            await keys.CountResendAsync(now, cancellationToken);
        }

        await sender.SendAsync(QueueNames.Feedback, [OutgoingMessage.Json(feedback, feedback.Id, "feedback")], cancellationToken);
        return new SubmittedFeedback(feedback, !added);
    }

    private static (string? Key, UseCaseError? Error) ClientKey(string? bodyId, string? header)
    {
        if (header is not null && FeedbackKeys.Problem(header) is { } headerProblem)
        {
            return (null, UseCaseError.Invalid("Idempotency-Key", headerProblem));
        }

        if (bodyId is not null && FeedbackKeys.Problem(bodyId) is { } idProblem)
        {
            return (null, UseCaseError.Invalid("id", idProblem));
        }

        return bodyId is not null && header is not null && bodyId != header
            ? (null, UseCaseError.Invalid("id", "differs from the Idempotency-Key header: give one of them, or the same key in both"))
            : (bodyId ?? header, null);
    }

    // Null when the feedback may go ahead without its decision (it is pending); else why it may not.
    private UseCaseError? Missing(string requestId, DateTimeOffset now)
    {
        var retentionDays = storage.Value.DecisionRetentionDays;
        return MissingDecisions.Classify(requestId, now, TimeSpan.FromDays(retentionDays), TimeSpan.FromSeconds(options.Value.PendingDecisionSeconds)) switch
        {
            MissingDecision.Pending => null,
            MissingDecision.Expired => UseCaseError.Gone(
                "The routing decision has expired.",
                string.Create(CultureInfo.InvariantCulture, $"The decision of requestId '{requestId}' was purged: decisions are kept {retentionDays:0.####} days (Storage:DecisionRetentionDays).")),
            _ => UseCaseError.NotFound("Unknown requestId.", $"No routing decision has requestId '{requestId}'."),
        };
    }
}
