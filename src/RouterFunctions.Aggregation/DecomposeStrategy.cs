using System.Globalization;
using System.Text.RegularExpressions;

namespace RouterFunctions.Aggregation;

/// <summary>A parsed decomposition plan: 1–4 sub-questions, each with the model written for it, or the format error.</summary>
public sealed record DecomposePlan(IReadOnlyList<SearchRequest> Items, string? Error)
{
    public bool IsValid => Error is null;
}

/// <summary>
/// The second strategy (LLMRouter's multi-round router): one router call writes a plan of 1–4 lines
/// <c>Model: sub-question</c>, the sub-questions are called in parallel, one routing-disabled router call aggregates: at
/// most 6 calls (7 after a re-prompt). Start it with <see cref="AggregationMachine.Start"/> and
/// <see cref="AggregationStrategy.Decompose"/>; the job, transcript, spend and limits are those of the multi-round strategy.
/// </summary>
public static partial class DecomposeStrategy
{
    public const int MaxSubQuestions = 4;

    [GeneratedRegex(@"<think>.*?</think>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ThinkBlock();

    [GeneratedRegex(@"^<search>(.*)</search>$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SearchLine();

    [GeneratedRegex(@"</?(think|search|answer)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"^(?:[-*•]|\d{1,2}[.)])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex ListMarker();

    /// <summary>
    /// Every non-blank line must be <c>Model: sub-question</c> (split on the first colon). Tolerated: <c>&lt;think&gt;</c>
    /// blocks, list markers (<c>-</c>, <c>*</c>, <c>1.</c>, <c>2)</c>), code fences, and a line wrapped in
    /// <c>&lt;search&gt;…&lt;/search&gt;</c>. Model names are resolved later, like searches: an unknown one is not a format error.
    /// </summary>
    public static DecomposePlan ParsePlan(string text)
    {
        text = ThinkBlock().Replace(RouterTurnParser.CutAtInformation(text), "\n");
        var items = new List<SearchRequest>();
        var lines = text.Split('\n');
        var number = 0;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            number++;
            line = ListMarker().Replace(line, "");
            if (SearchLine().Match(line) is { Success: true } wrapped)
            {
                line = wrapped.Groups[1].Value;
            }

            var what = string.Create(CultureInfo.InvariantCulture, $"plan line {number} (\"{RouterTurnParser.Excerpt(line)}\")");
            if (Tag().Match(line) is { Success: true } tag)
            {
                return Fail($"{what} contains {tag.Value}; the plan is plain lines ModelName: sub-question");
            }

            if (RouterTurnParser.Split(line, what, out var item) is { } problem)
            {
                return Fail(problem);
            }

            items.Add(item!);
        }

        return items.Count switch
        {
            0 => Fail($"the plan is empty; write 1 to {MaxSubQuestions} lines ModelName: sub-question"),
            > MaxSubQuestions => Fail(string.Create(CultureInfo.InvariantCulture, $"the plan has {items.Count} lines; write at most {MaxSubQuestions}")),
            _ => new DecomposePlan(items, null),
        };
    }

    private static DecomposePlan Fail(string error) => new([], error);
}
