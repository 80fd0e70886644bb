using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Messaging;

namespace RouterFunctions.Application.Retraining;

/// <summary>
/// The RetrainProfiles function: seed data plus stored feedback make a candidate; it is published only if it predicts
/// the held-out feedback at least as well as the current profile and no other retrain published first (the pointer's
/// ETag decides). Every run is recorded with both scores and why.
/// </summary>
public sealed partial class RetrainRunner(
    IProfileStore profiles,
    ISeedStore seeds,
    IDecisionLog decisions,
    IFeedbackStore feedback,
    IRetrainLog log,
    IRetrainTrigger trigger,
    ProfileHolder holder,
    RouterTelemetry telemetry,
    IOptions<FeedbackOptions> options,
    TimeProvider time,
    ILogger<RetrainRunner> logger) : IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>The RetrainProfiles consumer: any message on the retrain queue asks for one retrain; their reasons are only for the record.</summary>
    public Task<RetrainOutcome> HandleAsync(IReadOnlyList<QueueDelivery> deliveries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        return RunAsync(string.Join("; ", deliveries.Select(d => ReasonOf(d.Body)).Distinct(StringComparer.Ordinal)), cancellationToken);
    }

    private static string ReasonOf(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<RetrainRequest>(body, ApplicationJson.Web)?.Reason ?? "requested";
        }
        catch (JsonException)
        {
            return "requested";
        }
    }

    public async Task<RetrainOutcome> RunAsync(string reason, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            using var activity = RouterTelemetry.Traces.StartActivity("retrain");
            var id = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
            var current = await profiles.GetCurrentAsync(cancellationToken);
            if (current is null)
            {
                return await RecordAsync(new RetrainOutcome(id, time.GetUtcNow(), reason, 0, null, double.NaN, double.NaN, 0, "kept: there is no profile to retrain yet"), cancellationToken);
            }

            var events = new List<FeedbackEvent>();
            await foreach (var e in feedback.ListAsync(cancellationToken))
            {
                events.Add(e);
            }

            var byRequest = new Dictionary<string, DecisionRecord>(StringComparer.Ordinal);
            foreach (var requestId in events.Select(e => e.RequestId).Distinct(StringComparer.Ordinal))
            {
                if (await decisions.GetAsync(requestId, cancellationToken) is { } decision)
                {
                    byRequest[requestId] = decision;
                }
            }

            var seed = await seeds.LoadAsync(cancellationToken);
            var retrain = options.Value.Retrain;
            var examples = Core.Feedback.Retraining.FeedbackExamples(current, byRequest, events, retrain.MaxPropensityWeight);
            if (seed.Count == 0 && !examples.Any(f => DatasetSplit.ForId(f.EventId, retrain.HeldOutRatio) == DatasetSplit.Train))
            {
                // A profile imported from a file comes without seed examples: with no training feedback either, there
                // is no candidate to train (k-means would throw), which is a reason to keep, not a failure to retry.
                await trigger.ResetAsync(current.Version, cancellationToken);
                return await RecordAsync(
                    new RetrainOutcome(id, time.GetUtcNow(), reason, current.Version, null, double.NaN, double.NaN, examples.Count, "kept: no seed examples and no training feedback to train a candidate on"),
                    cancellationToken);
            }

            var result = Core.Feedback.Retraining.Run(current, seed, examples, retrain, current.Version + 1, time.GetUtcNow());
            var published = result.Publish && await profiles.TryPublishAsync(result.Candidate, current.Version, cancellationToken);
            telemetry.Retrained(published);
            activity?.SetTag("router.published", published);
            var why = result.Publish && !published ? $"kept: another retrain published after v{current.Version} first" : result.Why;
            if (published)
            {
                holder.Set(result.Candidate);
            }
            else
            {
                await trigger.ResetAsync(current.Version, cancellationToken);
            }

            LogRetrained(logger, reason, current.Version, published, why);
            return await RecordAsync(
                new RetrainOutcome(id, time.GetUtcNow(), reason, current.Version, published ? result.Candidate.Version : null, result.CurrentScore, result.CandidateScore, result.HeldOut, why),
                cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private async Task<RetrainOutcome> RecordAsync(RetrainOutcome outcome, CancellationToken cancellationToken)
    {
        await log.RecordAsync(outcome, cancellationToken);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrain ({Reason}) from v{Version}: published {Published}; {Why}")]
    private static partial void LogRetrained(ILogger logger, string reason, int version, bool published, string why);
}
