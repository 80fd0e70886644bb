using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouterFunctions.Aggregation;
using RouterFunctions.Application.Routing;
using RouterFunctions.Chat;
using RouterFunctions.Core.Routing;
using RouterFunctions.Messaging;

namespace RouterFunctions.Application.Aggregation;

/// <summary>
/// Runs Router-R1-style jobs over the configured backends. Serverless: <see cref="StartAsync"/> saves the job and
/// sends its first call; each call is a message on the aggregate-calls queue that <see cref="StepAsync"/> executes
/// once (its outcome is stored by call id before it is applied, so a redelivery neither calls nor pays again),
/// applies to the job under its ETag, and sends the next calls — all of a round's pool calls at once, the next router
/// turn when the round's last result is in. <see cref="RunAsync"/> runs a job in process (the chat model "router-r1").
/// </summary>
public sealed partial class AggregationService(
    IAggregationStore store,
    RoutingService routing,
    ProfileHolder profiles,
    ChatBackends backends,
    IMessageSender sender,
    IOptions<AggregationOptions> settings,
    ILogger<AggregationService> logger)
{
    private static UseCaseError NotAvailable(string detail) => UseCaseError.Unavailable("Aggregation is not available.", detail);

    /// <summary>Plans a job for the question: the pool is every profile model with a backend, with its predicted quality.</summary>
    private async Task<Outcome<(AggregationJob Job, AskRouter Step)>> PlanAsync(string question, AggregationStrategy strategy, decimal? budget, CancellationToken cancellationToken)
    {
        if (profiles.Current is not { } router)
        {
            return UseCaseError.NotReady("The router has no profile yet; retry shortly.");
        }

        var callable = router.Profile.Models.Where(m => backends.Contains(m.Name)).ToList();
        var routerModel = RouterModel();
        if (callable.Count == 0 || routerModel is null)
        {
            return NotAvailable("Aggregation needs a router model and pool models with configured backends (sections 'Models', 'Aggregation').");
        }

        var routed = await routing.RouteAsync(router, question, new RoutingPolicy { CostWeight = 0 }, [.. callable.Select(m => m.Name)], cancellationToken);
        var prices = backends.Models.Single(m => m.Name == routerModel).Prices;
        var options = settings.Value with
        {
            Budget = budget ?? settings.Value.Budget,
            RouterModel = routerModel,
            RouterInputPricePerMillion = (decimal)prices.InputPerMillion,
            RouterOutputPricePerMillion = (decimal)prices.OutputPerMillion,
        };
        var pool = PoolModel.FromDecision(routed.Decision, PoolPricing.Priced(callable, backends));
        return AggregationMachine.Start(routed.RequestId, question, pool, options, strategy);
    }

    /// <summary>The Aggregate use case: validates, plans and saves the job, and sends its first call.</summary>
    public async Task<Outcome<AggregationJob>> StartAsync(AggregateCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Validate() is { } bad)
        {
            return UseCaseError.Invalid(bad.Field, bad.Problem);
        }

        var planned = await PlanAsync(command.Question!, command.Strategy ?? AggregationStrategy.MultiRound, command.Budget, cancellationToken);
        if (!planned.Succeeded)
        {
            return planned.Error;
        }

        var (job, step) = planned.Value;
        if (!await store.TrySaveAsync(job, null, cancellationToken))
        {
            throw new InvalidOperationException($"Job {job.Id} exists already."); // ids are fresh version-7 GUIDs: not an expected outcome
        }

        await SendAsync(Messages(job, step), cancellationToken);
        return job;
    }

    /// <summary>A job in process, for one request (the chat model "router-r1").</summary>
    public async Task<Outcome<AggregationJob>> RunAsync(string question, CancellationToken cancellationToken)
    {
        var planned = await PlanAsync(question, AggregationStrategy.MultiRound, null, cancellationToken);
        if (!planned.Succeeded)
        {
            return planned.Error;
        }

        var (job, step) = planned.Value;
        return await AggregationRunner.RunAsync(job, step, backends.Get(job.Options.RouterModel!), backends.Get, cancellationToken);
    }

    /// <summary>The status view of one job.</summary>
    public async Task<Outcome<AggregationJob>> GetAsync(string id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } stored
            ? stored.Job
            : UseCaseError.NotFound("Unknown job.", $"No aggregation job '{id}'.");

    /// <summary>
    /// The AggregateStep consumer: one call of a job. A message that is not a call of a job (unreadable, or without its
    /// ids) is dropped — redelivering it cannot help — and false is returned.
    /// </summary>
    public async Task<bool> HandleAsync(QueueDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (CallOf(delivery.Body) is not { } message)
        {
            LogDropped(logger, delivery.MessageId);
            return false;
        }

        await SendAsync(await StepAsync(message, cancellationToken), cancellationToken);
        return true;
    }

    private static AggregateCallMessage? CallOf(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<AggregateCallMessage>(body, ApplicationJson.Web) is { JobId.Length: > 0, CallId.Length: > 0 } message ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // One message per call, keyed by (job, call): a resend of the same step is a duplicate the queue drops.
    private Task SendAsync(IReadOnlyList<AggregateCallMessage> messages, CancellationToken cancellationToken) =>
        messages.Count == 0
            ? Task.CompletedTask
            : sender.SendAsync(QueueNames.AggregateCalls, [.. messages.Select(m => OutgoingMessage.Json(m, $"{m.JobId}-{m.CallId}", "aggregate-call"))], cancellationToken);

    internal async Task<IReadOnlyList<AggregateCallMessage>> StepAsync(AggregateCallMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await store.GetAsync(message.JobId, cancellationToken) is not { } stored || stored.Job.Status == AggregationStatus.Done)
        {
            return [];
        }

        var outcome = await store.GetOutcomeAsync(message.JobId, message.CallId, cancellationToken);
        if (outcome is null)
        {
            outcome = await CallAsync(stored.Job, message.CallId, cancellationToken);
            if (outcome is null)
            {
                return []; // a call the job no longer waits for (already applied, or from a stale message)
            }

            if (!await store.TryAddOutcomeAsync(message.JobId, message.CallId, outcome, cancellationToken))
            {
                outcome = await store.GetOutcomeAsync(message.JobId, message.CallId, cancellationToken) ?? outcome;
            }
        }

        while (true)
        {
            var job = stored!.Job;
            var step = Apply(job, message.CallId, outcome);
            if (step is Ignored)
            {
                return Messages(job, AggregationMachine.Resume(job)); // a redelivery: re-send what the job waits for
            }

            if (await store.TrySaveAsync(job, stored.ETag, cancellationToken))
            {
                LogStep(logger, job.Id, message.CallId, step.GetType().Name);
                return Messages(job, step);
            }

            // Another call of the same round was applied meanwhile: read the job again and re-apply.
            stored = await store.GetAsync(message.JobId, cancellationToken);
        }
    }

    /// <summary>The configured router model, else the current profile's best model (by mean score) that has a backend.</summary>
    private string? RouterModel()
    {
        if (settings.Value.RouterModel is { } configured)
        {
            return backends.Contains(configured) ? configured : null;
        }

        var profile = profiles.Current?.Profile;
        return profile?.Models.Select((m, i) => (m.Name, profile.Global[i].MeanScore))
            .Where(m => backends.Contains(m.Name)).OrderByDescending(m => m.MeanScore).Select(m => m.Name).FirstOrDefault();
    }

    private async Task<CallOutcome?> CallAsync(AggregationJob job, string callId, CancellationToken cancellationToken)
    {
        if (job.PendingRouterCall?.CallId == callId)
        {
            var router = backends.Get(job.Options.RouterModel ?? RouterModel() ?? throw new InvalidOperationException("No router model has a backend."));
            var response = await router.GetResponseAsync(AggregationPrompts.RouterMessages(job), AggregationPrompts.RouterChatOptions(), cancellationToken);
            return new CallOutcome(response.Text, TokenUsage.From(response.Usage), null);
        }

        if (job.PoolCalls.FirstOrDefault(c => c.CallId == callId && c.Status == PoolCallStatus.Pending) is not { } call)
        {
            return null;
        }

        try
        {
            var response = await backends.Get(call.Model).GetResponseAsync(
                AggregationPrompts.PoolMessages(new PoolCall(call.CallId, call.Model, call.SubQuestion)), AggregationPrompts.PoolChatOptions(job.Options), cancellationToken);
            return new CallOutcome(response.Text, TokenUsage.From(response.Usage), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A pool model that fails is an observation for the router, not a reason to redeliver for ever.
            return new CallOutcome(null, null, $"{call.Model} failed: {ChatFailurePolicy.Describe(e)}");
        }
    }

    private static AggregationStep Apply(AggregationJob job, string callId, CallOutcome outcome) =>
        job.PendingRouterCall?.CallId == callId
            ? AggregationMachine.OnRouterTurn(job, callId, outcome.Text ?? "", outcome.Usage)
            : outcome.Error is { } error
                ? AggregationMachine.OnCallFailed(job, callId, error, outcome.Usage)
                : AggregationMachine.OnCallResult(job, callId, outcome.Text ?? "", outcome.Usage);

    private static IReadOnlyList<AggregateCallMessage> Messages(AggregationJob job, AggregationStep step) => step switch
    {
        AskRouter ask => [new AggregateCallMessage(job.Id, ask.CallId)],
        CallModels calls => [.. calls.Calls.Select(c => new AggregateCallMessage(job.Id, c.CallId))],
        _ => [],
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped message {MessageId}: not a call of a job ({{\"jobId\", \"callId\"}})")]
    private static partial void LogDropped(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Aggregation {JobId}: applied {CallId}, next {Step}")]
    private static partial void LogStep(ILogger logger, string jobId, string callId, string step);
}
