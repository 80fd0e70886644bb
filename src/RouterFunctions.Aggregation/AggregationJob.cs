using System.Text.Json.Serialization;

namespace RouterFunctions.Aggregation;

[JsonConverter(typeof(JsonStringEnumConverter<AggregationStrategy>))]
public enum AggregationStrategy
{
    /// <summary>Router-R1: think / search / information turns until an answer or a limit, then a routing-disabled answer turn.</summary>
    MultiRound,

    /// <summary>One planning call (1–4 <c>Model: sub-question</c> lines), the calls in parallel, one aggregating call.</summary>
    Decompose,
}

[JsonConverter(typeof(JsonStringEnumConverter<AggregationStatus>))]
public enum AggregationStatus
{
    AwaitingRouter,
    AwaitingCalls,
    Done,
}

/// <summary>What a router prompt asks for. <see cref="ForceAnswer"/> and <see cref="Aggregate"/> are routing-disabled.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RouterPromptKind>))]
public enum RouterPromptKind
{
    Route,
    Reprompt,
    ForceAnswer,
    Plan,
    Aggregate,
}

[JsonConverter(typeof(JsonStringEnumConverter<PoolCallStatus>))]
public enum PoolCallStatus
{
    /// <summary>Sent; its result is awaited.</summary>
    Pending,
    Answered,
    Failed,

    /// <summary>Not called: the router named a model outside the pool.</summary>
    UnknownModel,

    /// <summary>Not called: it would have left too little budget.</summary>
    OverBudget,

    /// <summary>Not called: the job's call limit was reached.</summary>
    OverCallCap,
}

[JsonConverter(typeof(JsonStringEnumConverter<TranscriptRole>))]
public enum TranscriptRole
{
    System,
    User,
    Assistant,
}

/// <summary>One message of the router's conversation.</summary>
public sealed record TranscriptEntry(TranscriptRole Role, string Text);

/// <summary>One router LLM call: the prompt it answered and, once <see cref="Completed"/>, its usage, cost and any format error.</summary>
public sealed record RouterCallRecord(string CallId, int Turn, RouterPromptKind Kind, string? Reason)
{
    public bool Completed { get; init; }

    public TokenUsage Usage { get; init; }

    /// <summary>The host reported no usage; it was estimated from characters.</summary>
    public bool UsageEstimated { get; init; }

    public decimal Cost { get; init; }

    public string? FormatError { get; init; }
}

/// <summary>
/// One <c>&lt;search&gt;</c> of round <see cref="Round"/> (the router turn that asked) at position <see cref="Index"/>: a pool
/// call, or the reason none was made. <see cref="Model"/> is the pool's spelling when the name resolved, else the router's.
/// <see cref="Observation"/> is what the router is shown: the answer (defused and cut) or why there is none.
/// </summary>
public sealed record PoolCallRecord(string CallId, int Round, int Index, string Model, string SubQuestion, PoolCallStatus Status)
{
    public string? Observation { get; init; }

    public bool Truncated { get; init; }

    public TokenUsage Usage { get; init; }

    public bool UsageEstimated { get; init; }

    public decimal Cost { get; init; }

    /// <summary>A call was made (or is under way): it counts toward the call limit.</summary>
    [JsonIgnore]
    public bool IsCall => Status is PoolCallStatus.Pending or PoolCallStatus.Answered or PoolCallStatus.Failed;
}

/// <summary>What the replay and the job API report: format validity, calls, spend, answer.</summary>
public sealed record AggregationSummary(
    string JobId,
    AggregationStrategy Strategy,
    AggregationStatus Status,
    string? Answer,
    bool FormatValid,
    int FormatErrors,
    int RouterCalls,
    int PoolCalls,
    int Rounds,
    decimal Spent,
    decimal Budget);

/// <summary>
/// The whole state of one aggregation job, serialisable with System.Text.Json (<see cref="AggregationJson"/>): the host
/// loads it, applies one event through <see cref="AggregationMachine"/>, saves it (with optimistic concurrency) and acts on
/// the returned step. Only the machine changes it.
/// </summary>
public sealed class AggregationJob
{
    private List<PoolModel> _pool = [];
    private List<TranscriptEntry> _transcript = [];
    private List<RouterCallRecord> _routerCalls = [];
    private List<PoolCallRecord> _poolCalls = [];

    [JsonConstructor]
    internal AggregationJob()
    {
    }

    [JsonInclude]
    public string Id { get; internal set; } = "";

    [JsonInclude]
    public AggregationStrategy Strategy { get; internal set; }

    [JsonInclude]
    public string Question { get; internal set; } = "";

    [JsonInclude]
    public IReadOnlyList<PoolModel> Pool { get => _pool; internal set => _pool = [.. value]; }

    [JsonInclude]
    public AggregationOptions Options { get; internal set; } = new();

    /// <summary>The router's conversation in order: system prompt, question with pool and budget, turns, observations.</summary>
    [JsonInclude]
    public IReadOnlyList<TranscriptEntry> Transcript { get => _transcript; internal set => _transcript = [.. value]; }

    [JsonInclude]
    public IReadOnlyList<RouterCallRecord> RouterCalls { get => _routerCalls; internal set => _routerCalls = [.. value]; }

    [JsonInclude]
    public IReadOnlyList<PoolCallRecord> PoolCalls { get => _poolCalls; internal set => _poolCalls = [.. value]; }

    [JsonInclude]
    public AggregationStatus Status { get; internal set; }

    /// <summary>USD debited so far: every completed router and pool call.</summary>
    [JsonInclude]
    public decimal Spent { get; internal set; }

    /// <summary>Format errors of router turns, an unparseable final turn included.</summary>
    [JsonInclude]
    public int FormatErrors { get; internal set; }

    /// <summary>A search was refused for budget; the next router turn is routing-disabled.</summary>
    [JsonInclude]
    public bool BudgetExhausted { get; internal set; }

    [JsonInclude]
    public string? Answer { get; internal set; }

    /// <summary>Every router turn was well-formed (Router-R1's format reward).</summary>
    public bool FormatValid => FormatErrors == 0;

    public decimal Remaining => Options.Budget - Spent;

    /// <summary>The router call awaited, when <see cref="Status"/> is <see cref="AggregationStatus.AwaitingRouter"/>.</summary>
    [JsonIgnore]
    public RouterCallRecord? PendingRouterCall =>
        Status == AggregationStatus.AwaitingRouter && _routerCalls.Count > 0 && !_routerCalls[^1].Completed ? _routerCalls[^1] : null;

    [JsonIgnore]
    public int PoolCallsMade => _poolCalls.Count(c => c.IsCall);

    /// <summary>Completed router turns that were allowed to call models.</summary>
    [JsonIgnore]
    public int RoutingTurns => _routerCalls.Count(c => c.Completed && c.Kind is RouterPromptKind.Route or RouterPromptKind.Reprompt or RouterPromptKind.Plan);

    /// <summary>Rounds that made at least one pool call.</summary>
    [JsonIgnore]
    public int Rounds => _poolCalls.Where(c => c.IsCall).Select(c => c.Round).Distinct().Count();

    public AggregationSummary Summary() =>
        new(Id, Strategy, Status, Answer, FormatValid, FormatErrors, _routerCalls.Count(c => c.Completed), PoolCallsMade, Rounds, Spent, Options.Budget);

    internal long TranscriptChars => _transcript.Sum(e => (long)e.Text.Length);

    internal void Add(TranscriptEntry entry) => _transcript.Add(entry);

    internal void Add(RouterCallRecord call) => _routerCalls.Add(call);

    internal void Add(PoolCallRecord call) => _poolCalls.Add(call);

    internal void ReplaceLastRouterCall(RouterCallRecord call) => _routerCalls[^1] = call;

    internal int IndexOfPoolCall(string callId) => _poolCalls.FindIndex(c => string.Equals(c.CallId, callId, StringComparison.Ordinal));

    internal void ReplacePoolCall(int index, PoolCallRecord call) => _poolCalls[index] = call;
}
