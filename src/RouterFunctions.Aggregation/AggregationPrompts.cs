using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace RouterFunctions.Aggregation;

/// <summary>The prompts of both strategies, and the chat messages the host sends to the router and to pool models.</summary>
public static class AggregationPrompts
{
    public const string MultiRoundSystem =
        """
        You answer questions by consulting a pool of language models. You work in turns.
        - Think inside <think> ... </think> (optional; the models never see it).
        - To ask a model, write <search> ModelName: sub-question </search>, with ModelName exactly as listed. You may write several searches in one turn; they run in parallel. Each model sees only its sub-question, so make it self-contained.
        - Each result comes back as <information> ... </information>. Never write <information> yourself.
        - When you can answer, write <answer> final answer </answer>. Keep the answer short: a name, number, phrase or sentence.
        A turn contains searches or one answer, never both. Every call costs money; the budget left is shown after every round.
        """;

    public const string DecomposeSystem =
        """
        You answer questions by consulting a pool of language models in two steps.
        1. Plan: split the question into 1 to 4 self-contained sub-questions and assign each to one model. Reply with the plan only, one line per sub-question: ModelName: sub-question (ModelName exactly as listed). The sub-questions are answered in parallel.
        2. Answer: you will get the answers as <information> ... </information>; then reply with <answer> final answer </answer>. Keep the answer short.
        """;

    /// <summary>The system prompt of a pool call.</summary>
    public const string PoolSystem =
        "Answer the question concisely, in at most about 500 tokens. If you cannot help with it, say so in one sentence.";

    /// <summary>
    /// Stop sequences for router calls. Not <c>&lt;/search&gt;</c>: a turn may hold several searches. Observations come from
    /// the host, so generation stops where the router would invent one; the parser cuts there anyway.
    /// </summary>
    public static IReadOnlyList<string> RouterStopSequences { get; } = ["<information>"];

    /// <summary>The router's conversation so far, ending with the prompt it must answer.</summary>
    public static IList<ChatMessage> RouterMessages(AggregationJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return [.. job.Transcript.Select(e => new ChatMessage(
            e.Role switch
            {
                TranscriptRole.System => ChatRole.System,
                TranscriptRole.Assistant => ChatRole.Assistant,
                _ => ChatRole.User,
            },
            e.Text))];
    }

    public static IList<ChatMessage> PoolMessages(PoolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return [new ChatMessage(ChatRole.System, PoolSystem), new ChatMessage(ChatRole.User, call.SubQuestion)];
    }

    /// <summary>Options for a pool call: its output capped at <see cref="AggregationOptions.PoolMaxOutputTokens"/>.</summary>
    public static ChatOptions PoolChatOptions(AggregationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ChatOptions { MaxOutputTokens = options.PoolMaxOutputTokens };
    }

    /// <summary>Options for a router call: <see cref="RouterStopSequences"/>.</summary>
    public static ChatOptions RouterChatOptions() => new() { StopSequences = [.. RouterStopSequences] };

    internal static string Usd(decimal amount) => "$" + amount.ToString("0.000000", CultureInfo.InvariantCulture);

    internal static string Question(AggregationJob job)
    {
        var text = new StringBuilder();
        text.Append("Question: ").Append(job.Question).Append("\n\nModels you can call (USD per 1M tokens, input / output):");
        foreach (var m in job.Pool)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- {m.Name}: ${m.InputPricePerMillion:0.00##} / ${m.OutputPricePerMillion:0.00##}");
            if (m.PredictedQuality is { } quality)
            {
                text.Append(CultureInfo.InvariantCulture, $"; predicted quality for this question {quality:0.00}");
            }

            if (m.TypicalLatencySeconds is { } latency)
            {
                text.Append(CultureInfo.InvariantCulture, $"; typical latency {latency:0.#} s");
            }

            if (!string.IsNullOrWhiteSpace(m.Notes))
            {
                text.Append("; ").Append(ModelNames.Normalize(m.Notes));
            }
        }

        return text.ToString();
    }

    internal static string Budget(AggregationJob job) =>
        $"Budget left: {Usd(job.Remaining)} of {Usd(job.Options.Budget)} (spent {Usd(job.Spent)}).";

    internal static string RouteStatus(AggregationJob job)
    {
        var o = job.Options;
        return Budget(job) + string.Create(CultureInfo.InvariantCulture,
            $" This is routing turn {job.RoutingTurns + 1} of {o.MaxRoutingTurns}; model calls left: {o.MaxCalls - job.PoolCallsMade}.");
    }

    internal static string PlanStatus(AggregationJob job) =>
        Budget(job) + string.Create(CultureInfo.InvariantCulture,
            $" Reply with the plan only: 1 to {DecomposeStrategy.MaxSubQuestions} lines, each ModelName: sub-question.");

    internal static string FormatError(string error) => $"Format error: {error}.";

    internal static string RepromptMultiRound => "Reply again, following the format: <search> ModelName: sub-question </search> (one or more), or <answer> ... </answer>.";

    internal static string Forced(AggregationJob job, string reason) =>
        $"Routing is disabled ({reason}): no more model calls. {Budget(job)}\nQuestion: {job.Question}\nReply now with your final answer inside <answer> ... </answer>.";

    internal static string Aggregate(AggregationJob job) =>
        $"Routing is disabled: no more model calls. {Budget(job)}\nUsing the information above, answer the original question: {job.Question}\nReply with your final answer inside <answer> ... </answer>.";

    internal static string Information(PoolCallRecord call) =>
        $"<information>\n{call.Model}: {call.SubQuestion}\n{call.Observation}\n</information>";
}
