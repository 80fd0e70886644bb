using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Feedback;

/// <summary>Routed requests by requestId: written when routing, read when feedback arrives and when retraining.</summary>
public interface IDecisionLog
{
    Task RecordAsync(DecisionRecord decision, CancellationToken cancellationToken);

    Task<DecisionRecord?> GetAsync(string requestId, CancellationToken cancellationToken);

    IAsyncEnumerable<DecisionRecord> ListAsync(CancellationToken cancellationToken);
}

/// <summary>Every feedback event, once: <see cref="TryAddAsync"/> is the idempotency ledger.</summary>
public interface IFeedbackStore
{
    /// <summary>Stores the event unless one with its id exists; false means it was already there.</summary>
    Task<bool> TryAddAsync(FeedbackEvent feedback, CancellationToken cancellationToken);

    IAsyncEnumerable<FeedbackEvent> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The events received from <paramref name="since"/> to <paramref name="until"/>: only the day partitions of that
    /// span are read, so the cost follows the span, not the history.
    /// </summary>
    IAsyncEnumerable<StoredFeedback> ListReceivedAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>A message given up on after repeated failures, kept with its error instead of looping or vanishing.</summary>
public sealed record ParkedMessage(string Queue, string MessageId, string Body, int DeliveryCount, string Error, DateTimeOffset ParkedAt);

public interface IParkingLot
{
    Task ParkAsync(ParkedMessage message, CancellationToken cancellationToken);

    IAsyncEnumerable<ParkedMessage> ListAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Live (cluster, model) statistics of a profile version, updated by feedback. Each event is applied to a cluster at
/// most once, whatever the redeliveries and concurrent writers; the result is the cells after the update.
/// </summary>
public interface IStatsStore
{
    Task<StatsUpdate> ApplyAsync(int profileVersion, string eventId, IReadOnlyList<StatsContribution> contributions, CancellationToken cancellationToken);

    /// <summary>Cells by cluster (clusters with feedback only), each indexed by model.</summary>
    Task<IReadOnlyDictionary<int, CellStats[]>> ReadAsync(int profileVersion, int clusters, int models, CancellationToken cancellationToken);
}

/// <summary>How many of an event's contributions were new, and the touched cells as they are now.</summary>
public sealed record StatsUpdate(int Applied, IReadOnlyDictionary<int, CellStats[]> Cells);

/// <summary>Counts feedback per profile version and says once when a retrain is due.</summary>
public interface IRetrainTrigger
{
    /// <summary>
    /// Adds <paramref name="events"/>; true for exactly one caller: the first to find a retrain due and claim it. A
    /// claim remembers its <paramref name="claimant"/> (the feedback event that made it).
    /// </summary>
    Task<bool> AddAndClaimAsync(int profileVersion, int events, Func<long, bool> due, string claimant, CancellationToken cancellationToken);

    /// <summary>
    /// Who holds the current claim of <paramref name="profileVersion"/>, or null: a redelivered event that made the
    /// claim resends its retrain request (the first send may have failed after the claim was written).
    /// </summary>
    Task<string?> ClaimantAsync(int profileVersion, CancellationToken cancellationToken);

    /// <summary>After a retrain that kept the profile: count from zero again, so new feedback can ask again.</summary>
    Task ResetAsync(int profileVersion, CancellationToken cancellationToken);
}

/// <summary>The graded seed data (embedded once), the base every retrain starts from.</summary>
public interface ISeedStore
{
    Task SaveAsync(IReadOnlyList<TrainingExample> examples, CancellationToken cancellationToken);

    Task<IReadOnlyList<TrainingExample>> LoadAsync(CancellationToken cancellationToken);
}

/// <summary>Why each retrain published or kept the profile, with both scores.</summary>
public sealed record RetrainOutcome(
    string Id,
    DateTimeOffset At,
    string Reason,
    int CurrentVersion,
    int? PublishedVersion,
    double CurrentScore,
    double CandidateScore,
    int HeldOutEvents,
    string Why);

public interface IRetrainLog
{
    Task RecordAsync(RetrainOutcome outcome, CancellationToken cancellationToken);

    IAsyncEnumerable<RetrainOutcome> ListAsync(CancellationToken cancellationToken);
}
