using System.Globalization;

namespace RouterFunctions.Aggregation;

/// <summary>What the host must do next. Steps are not persisted: <see cref="AggregationMachine.Resume"/> recomputes the current one.</summary>
public abstract record AggregationStep;

/// <summary>
/// Call the router LLM with <see cref="AggregationPrompts.RouterMessages"/> and report its reply to
/// <see cref="AggregationMachine.OnRouterTurn"/> with <see cref="CallId"/>. <see cref="Kind"/> says why (for logs):
/// <see cref="RouterPromptKind.Reprompt"/> carries the format error in <see cref="Reason"/>, <see cref="RouterPromptKind.ForceAnswer"/>
/// why routing is disabled.
/// </summary>
public sealed record AskRouter(string CallId, RouterPromptKind Kind, string? Reason) : AggregationStep;

/// <summary>Fan out: call every pool model in parallel (one message each, MessageId = CallId) and report each result.</summary>
public sealed record CallModels(IReadOnlyList<PoolCall> Calls) : AggregationStep;

/// <summary>Some of the round's results are still out; nothing to do.</summary>
public sealed record AwaitResults(int Pending) : AggregationStep;

/// <summary>A duplicate or stale event: nothing changed, nothing to do.</summary>
public sealed record Ignored(string Reason) : AggregationStep;

/// <summary>The job is finished.</summary>
public sealed record Done(string Answer, bool FormatValid) : AggregationStep;

/// <summary>One pool call to make: send <see cref="AggregationPrompts.PoolMessages"/> to <see cref="Model"/> (the pool's spelling).</summary>
public sealed record PoolCall(string CallId, string Model, string SubQuestion);

/// <summary>
/// Deterministic call ids, so a redelivered message maps to the same call: pool calls are (job, round, index), router
/// calls (job, turn). A round is numbered by the router turn that asked for it.
/// </summary>
public static class CallIds
{
    public static string Router(string jobId, int turn) => string.Create(CultureInfo.InvariantCulture, $"{jobId}:{turn}:router");

    public static string Pool(string jobId, int round, int index) => string.Create(CultureInfo.InvariantCulture, $"{jobId}:{round}:{index}");
}
