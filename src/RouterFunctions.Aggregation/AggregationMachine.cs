using System.Globalization;

namespace RouterFunctions.Aggregation;

/// <summary>
/// The aggregation state machine: pure, deterministic, driven from outside. The host starts a job, then feeds it the
/// router's replies and the pool calls' results in any order and as often as they are delivered; each event changes the
/// job at most once and returns the next <see cref="AggregationStep"/>.
/// <para>
/// Costs: every completed call is debited (router calls included) from its usage and prices. Before a routing turn the
/// machine checks that the budget left covers that turn, the cheapest pool call and a final turn; a search is called only
/// if the budget left covers it, the round's other admitted calls and the next router turn (estimates: the transcript and
/// <see cref="AggregationOptions"/>' typical token counts). Otherwise routing is disabled and the router must answer.
/// </para>
/// </summary>
public static class AggregationMachine
{
    /// <summary>A new job and its first router prompt.</summary>
    public static (AggregationJob Job, AskRouter Step) Start(
        string jobId,
        string question,
        IReadOnlyList<PoolModel> pool,
        AggregationOptions options,
        AggregationStrategy strategy = AggregationStrategy.MultiRound)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(options);
        if (ModelNames.Problem(pool) is { } problem)
        {
            throw new ArgumentException($"Invalid pool: {problem}.", nameof(pool));
        }

        if (options.Validate() is { } invalid)
        {
            throw new ArgumentException($"Invalid options: {invalid.Field} {invalid.Problem}.", nameof(options));
        }

        var job = new AggregationJob
        {
            Id = jobId,
            Strategy = strategy,
            Question = question.Trim(),
            Pool = pool,
            Options = options,
        };
        job.Add(new TranscriptEntry(
            TranscriptRole.System,
            strategy == AggregationStrategy.Decompose ? AggregationPrompts.DecomposeSystem : AggregationPrompts.MultiRoundSystem));
        return (job, NextRouterTurn(job, AggregationPrompts.Question(job), formatError: null));
    }

    /// <summary>
    /// Records the router's reply to <paramref name="callId"/>: debits its cost (from <paramref name="usage"/>, or estimated
    /// from characters when null), keeps it in the transcript (cut before any <c>&lt;information&gt;</c> it invented) and
    /// parses it. A reply to any other call than the one awaited is ignored.
    /// </summary>
    public static AggregationStep OnRouterTurn(AggregationJob job, string callId, string text, TokenUsage? usage)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(callId);
        ArgumentNullException.ThrowIfNull(text);
        if (job.PendingRouterCall is not { } pending || !string.Equals(pending.CallId, callId, StringComparison.Ordinal))
        {
            return new Ignored(job.RouterCalls.Any(c => c.Completed && string.Equals(c.CallId, callId, StringComparison.Ordinal))
                ? $"router call {callId} is already recorded"
                : $"router call {callId} is not the one awaited ({job.PendingRouterCall?.CallId ?? "none"})");
        }

        var kept = RouterTurnParser.CutAtInformation(text);
        var o = job.Options;
        var used = usage ?? new TokenUsage(
            TokenUsage.Approximate(job.TranscriptChars, o.CharsPerToken), TokenUsage.Approximate(kept.Length, o.CharsPerToken));
        var record = pending with { Completed = true, Usage = used, UsageEstimated = usage is null, Cost = o.RouterCost(used) };
        job.Spent += record.Cost;
        job.Add(new TranscriptEntry(TranscriptRole.Assistant, kept));

        if (pending.Kind is RouterPromptKind.ForceAnswer or RouterPromptKind.Aggregate)
        {
            var (answer, valid) = RouterTurnParser.FinalAnswer(kept);
            if (!valid)
            {
                job.FormatErrors++;
                record = record with { FormatError = "the routing-disabled turn has no well-formed <answer>; its text was taken as the answer" };
            }

            job.ReplaceLastRouterCall(record);
            return Finish(job, answer);
        }

        IReadOnlyList<SearchRequest> searches;
        string? error;
        if (job.Strategy == AggregationStrategy.Decompose)
        {
            var plan = DecomposeStrategy.ParsePlan(kept);
            (searches, error) = (plan.Items, plan.Error);
        }
        else
        {
            var turn = RouterTurnParser.Parse(kept);
            if (turn is { IsValid: true, Answer: { } answer })
            {
                job.ReplaceLastRouterCall(record);
                return Finish(job, answer);
            }

            (searches, error) = (turn.Searches, turn.Error);
        }

        if (error is not null)
        {
            job.FormatErrors++;
            job.ReplaceLastRouterCall(record with { FormatError = error });
            return NextRouterTurn(job, AggregationPrompts.FormatError(error), error);
        }

        job.ReplaceLastRouterCall(record);
        return FanOut(job, pending.Turn, searches);
    }

    /// <summary>
    /// Records a pool call's answer: the observation (protocol tags defused, cut to the cap) and its cost (from
    /// <paramref name="usage"/>, or estimated when null). A call already recorded, or unknown, is ignored and not paid
    /// again. When it is the round's last result, returns the next router prompt (fan-in).
    /// </summary>
    public static AggregationStep OnCallResult(AggregationJob job, string callId, string answer, TokenUsage? usage)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return Record(job, callId, usage, answer, failure: null);
    }

    /// <summary>
    /// Records that a pool call failed for good (after the host's own retries and failover): the router is told so.
    /// Paid only for <paramref name="usage"/>, when the host knows some; ignored like <see cref="OnCallResult"/> when repeated.
    /// </summary>
    public static AggregationStep OnCallFailed(AggregationJob job, string callId, string error, TokenUsage? usage = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Record(job, callId, usage, null, error);
    }

    /// <summary>The step the job is at: to re-issue work after a crash or a lost message. The job is not changed.</summary>
    public static AggregationStep Resume(AggregationJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Status switch
        {
            AggregationStatus.Done => new Done(job.Answer ?? "", job.FormatValid),
            AggregationStatus.AwaitingCalls => new CallModels(PendingCalls(job)),
            _ => job.PendingRouterCall is { } pending
                ? new AskRouter(pending.CallId, pending.Kind, pending.Reason)
                : throw new InvalidOperationException($"Job {job.Id} awaits the router but has no pending router call."),
        };
    }

    private static AggregationStep Record(AggregationJob job, string callId, TokenUsage? usage, string? answer, string? failure)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(callId);
        var index = job.IndexOfPoolCall(callId);
        if (index < 0)
        {
            return new Ignored($"no pool call {callId} in job {job.Id}");
        }

        var call = job.PoolCalls[index];
        if (call.Status != PoolCallStatus.Pending)
        {
            return new Ignored($"pool call {callId} is already recorded ({call.Status})");
        }

        var o = job.Options;
        var model = ModelNames.Resolve(job.Pool, call.Model)
            ?? throw new InvalidOperationException($"Pool call {callId} names {call.Model}, which is not in the pool.");
        var used = usage ?? (failure is null
            ? new TokenUsage(
                TokenUsage.Approximate(AggregationPrompts.PoolSystem.Length + call.SubQuestion.Length, o.CharsPerToken),
                TokenUsage.Approximate(answer!.Length, o.CharsPerToken))
            : default);
        var (observation, truncated) = failure is null
            ? Cut(RouterTurnParser.Defuse(answer!).Trim(), o.ObservationCapChars)
            : ($"(The call failed: {RouterTurnParser.Defuse(failure)})", false);
        if (observation.Length == 0)
        {
            observation = "(The model returned an empty answer.)";
        }

        var recorded = call with
        {
            Status = failure is null ? PoolCallStatus.Answered : PoolCallStatus.Failed,
            Observation = observation,
            Truncated = truncated,
            Usage = used,
            UsageEstimated = usage is null && failure is null,
            Cost = model.Cost(used),
        };
        job.ReplacePoolCall(index, recorded);
        job.Spent += recorded.Cost;

        var pending = job.PoolCalls.Count(c => c.Round == call.Round && c.Status == PoolCallStatus.Pending);
        return pending > 0 ? new AwaitResults(pending) : FanIn(job, call.Round);
    }

    /// <summary>Admits a round's searches in order (unknown names, the call limit and the budget decide) and fans the admitted ones out.</summary>
    private static AggregationStep FanOut(AggregationJob job, int round, IReadOnlyList<SearchRequest> searches)
    {
        var o = job.Options;
        var admitted = 0;
        var committed = 0m;
        for (var i = 0; i < searches.Count; i++)
        {
            var search = searches[i];
            var id = CallIds.Pool(job.Id, round, i);
            var model = ModelNames.Resolve(job.Pool, search.Model);
            if (model is null)
            {
                job.Add(new PoolCallRecord(id, round, i, search.Model, search.SubQuestion, PoolCallStatus.UnknownModel)
                {
                    Observation = $"(No call was made: there is no model named \"{search.Model}\" in the pool. Models: {string.Join(", ", job.Pool.Select(m => m.Name))}.)",
                });
                continue;
            }

            if (job.PoolCallsMade >= o.MaxCalls)
            {
                job.Add(new PoolCallRecord(id, round, i, model.Name, search.SubQuestion, PoolCallStatus.OverCallCap)
                {
                    Observation = string.Create(CultureInfo.InvariantCulture, $"(No call was made: the limit of {o.MaxCalls} model calls is reached.)"),
                });
                continue;
            }

            var estimate = EstimateCall(o, model);
            var reserve = EstimateRouterTurn(job, (admitted + 1L) * o.ObservationCapTokens);
            if (committed + estimate + reserve > job.Remaining)
            {
                job.BudgetExhausted = true;
                job.Add(new PoolCallRecord(id, round, i, model.Name, search.SubQuestion, PoolCallStatus.OverBudget)
                {
                    Observation = $"(No call was made: it would cost about {AggregationPrompts.Usd(estimate)} and the budget left, {AggregationPrompts.Usd(job.Remaining - committed)}, must also pay for your final answer.)",
                });
                continue;
            }

            admitted++;
            committed += estimate;
            job.Add(new PoolCallRecord(id, round, i, model.Name, search.SubQuestion, PoolCallStatus.Pending));
        }

        if (admitted == 0)
        {
            return FanIn(job, round);
        }

        job.Status = AggregationStatus.AwaitingCalls;
        return new CallModels(PendingCalls(job));
    }

    /// <summary>All of a round's results are in: the observations, in search order, and the next router prompt.</summary>
    private static AskRouter FanIn(AggregationJob job, int round)
    {
        var information = string.Join("\n", job.PoolCalls.Where(c => c.Round == round).OrderBy(c => c.Index).Select(AggregationPrompts.Information));
        return job.Strategy == AggregationStrategy.Decompose
            ? Ask(job, information + "\n\n" + AggregationPrompts.Aggregate(job), RouterPromptKind.Aggregate, reason: null)
            : NextRouterTurn(job, information, formatError: null);
    }

    /// <summary>The next router prompt: a routing turn (or re-prompt), unless a limit disables routing.</summary>
    private static AskRouter NextRouterTurn(AggregationJob job, string body, string? formatError)
    {
        var decompose = job.Strategy == AggregationStrategy.Decompose;
        if (ForceReason(job, formatError is not null) is { } reason)
        {
            return Ask(job, body + "\n\n" + AggregationPrompts.Forced(job, reason), RouterPromptKind.ForceAnswer, reason);
        }

        var status = decompose ? AggregationPrompts.PlanStatus(job) : AggregationPrompts.RouteStatus(job);
        if (formatError is not null)
        {
            var again = decompose ? string.Empty : AggregationPrompts.RepromptMultiRound + "\n";
            return Ask(job, body + "\n" + again + status, RouterPromptKind.Reprompt, formatError);
        }

        return Ask(job, body + "\n\n" + status, decompose ? RouterPromptKind.Plan : RouterPromptKind.Route, reason: null);
    }

    private static string? ForceReason(AggregationJob job, bool afterFormatError)
    {
        var o = job.Options;
        if (afterFormatError && job.FormatErrors > o.MaxReprompts)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the reply format was wrong {job.FormatErrors} times");
        }

        if (job.Strategy == AggregationStrategy.MultiRound && job.RoutingTurns >= o.MaxRoutingTurns)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the limit of {o.MaxRoutingTurns} routing turns is reached");
        }

        if (job.PoolCallsMade >= o.MaxCalls)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the limit of {o.MaxCalls} model calls is reached");
        }

        return job.BudgetExhausted || !CanAffordAnotherCall(job) ? "the budget left cannot cover another model call" : null;
    }

    /// <summary>The budget left covers this routing turn, the cheapest pool call and the final turn after it.</summary>
    private static bool CanAffordAnotherCall(AggregationJob job)
    {
        var o = job.Options;
        var cheapest = job.Pool.Min(m => EstimateCall(o, m));
        var need = EstimateRouterTurn(job, 0) + cheapest + EstimateRouterTurn(job, (long)o.EstimatedRouterOutputTokens + o.ObservationCapTokens);
        return need <= job.Remaining;
    }

    private static decimal EstimateCall(AggregationOptions o, PoolModel model) =>
        model.Cost(new TokenUsage(o.EstimatedCallInputTokens, o.PoolMaxOutputTokens));

    /// <summary>A router turn reading the transcript plus <paramref name="extraInputTokens"/>.</summary>
    private static decimal EstimateRouterTurn(AggregationJob job, long extraInputTokens) =>
        job.Options.RouterCost(new TokenUsage(
            TokenUsage.Approximate(job.TranscriptChars, job.Options.CharsPerToken) + extraInputTokens,
            job.Options.EstimatedRouterOutputTokens));

    private static AskRouter Ask(AggregationJob job, string prompt, RouterPromptKind kind, string? reason)
    {
        var turn = job.RouterCalls.Count + 1;
        var call = new RouterCallRecord(CallIds.Router(job.Id, turn), turn, kind, reason);
        job.Add(new TranscriptEntry(TranscriptRole.User, prompt));
        job.Add(call);
        job.Status = AggregationStatus.AwaitingRouter;
        return new AskRouter(call.CallId, kind, reason);
    }

    private static Done Finish(AggregationJob job, string answer)
    {
        job.Answer = answer;
        job.Status = AggregationStatus.Done;
        return new Done(answer, job.FormatValid);
    }

    private static List<PoolCall> PendingCalls(AggregationJob job) =>
        [.. job.PoolCalls.Where(c => c.Status == PoolCallStatus.Pending).Select(c => new PoolCall(c.CallId, c.Model, c.SubQuestion))];

    /// <summary>The text cut to <paramref name="cap"/> characters (never inside a surrogate pair), marked when cut.</summary>
    internal static (string Text, bool Truncated) Cut(string text, int cap)
    {
        if (text.Length <= cap)
        {
            return (text, false);
        }

        var length = char.IsHighSurrogate(text[cap - 1]) ? cap - 1 : cap;
        return (text[..length].TrimEnd() + " [truncated]", true);
    }
}
