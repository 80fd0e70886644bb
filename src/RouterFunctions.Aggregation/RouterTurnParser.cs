using System.Globalization;
using System.Text.RegularExpressions;

namespace RouterFunctions.Aggregation;

/// <summary>One <c>&lt;search&gt;</c> as the router wrote it: the text before the first colon, and the sub-question after it.</summary>
public sealed record SearchRequest(string Model, string SubQuestion);

/// <summary>
/// A parsed router turn: searches (one round, fanned out in parallel), or an answer, or the format error that makes it
/// neither. <see cref="Text"/> is the turn as kept: cut before any <c>&lt;information&gt;</c> the router wrote itself.
/// </summary>
public sealed record RouterTurn(string Text, IReadOnlyList<SearchRequest> Searches, string? Answer, string? Error)
{
    public bool IsValid => Error is null;
}

/// <summary>
/// Parses the router LLM's turn: <c>&lt;think&gt;…&lt;/think&gt;</c> (kept, ignored), <c>&lt;search&gt; Model: sub-question
/// &lt;/search&gt;</c> (any number; split on the first colon), <c>&lt;answer&gt;…&lt;/answer&gt;</c> (exactly one, alone). Tag
/// names are case-insensitive; text outside tags is ignored. Unclosed, stray, mismatched or nested tags, searches together
/// with an answer, and a turn with neither are format errors with a message meant for the router.
/// </summary>
public static partial class RouterTurnParser
{
    [GeneratedRegex(@"<(/?)(think|search|answer)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"</?information>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InformationTag();

    [GeneratedRegex(@"<answer>(.*?)</answer>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex AnswerBlock();

    [GeneratedRegex(@"<think>.*?</think>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ThinkBlock();

    [GeneratedRegex(@"</?(think|search|answer|information)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProtocolTag();

    /// <summary>
    /// The turn up to the first <c>&lt;information&gt;</c> tag: observations come from the host, so anything the router
    /// writes from there on is invented and dropped (use <see cref="AggregationPrompts.RouterStopSequences"/> to stop it early).
    /// </summary>
    public static string CutAtInformation(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = InformationTag().Match(text);
        return m.Success ? text[..m.Index] : text;
    }

    public static RouterTurn Parse(string text)
    {
        text = CutAtInformation(text);
        var searches = new List<SearchRequest>();
        var answers = new List<string>();
        var error = ParseBlocks(text, searches, answers);
        RouterTurn Fail(string why) => new(text, [], null, why);
        if (error is not null)
        {
            return Fail(error);
        }

        if (answers.Count > 0 && searches.Count > 0)
        {
            return Fail("the turn has both <search> and <answer>; a turn either calls models or answers, never both");
        }

        if (answers.Count > 1)
        {
            return Fail($"the turn has {answers.Count} <answer> tags; write exactly one");
        }

        if (answers.Count == 1)
        {
            var answer = answers[0].Trim();
            return answer.Length == 0 ? Fail("the <answer> is empty") : new RouterTurn(text, [], answer, null);
        }

        if (searches.Count == 0)
        {
            return Fail(text.Trim().Length == 0
                ? "the turn is empty; write <search> Model: sub-question </search> or <answer> … </answer>"
                : "the turn has no <search> or <answer> tag; write <search> Model: sub-question </search> or <answer> … </answer>");
        }

        return new RouterTurn(text, searches, null, null);
    }

    /// <summary>
    /// The answer of a routing-disabled turn and whether it was well-formed: the turn's <c>&lt;answer&gt;</c> when it parses;
    /// otherwise (invalid) its first non-empty <c>&lt;answer&gt;</c> block, else its text without think blocks and tags
    /// (with the think blocks' text when nothing else is left).
    /// </summary>
    public static (string Answer, bool Valid) FinalAnswer(string text)
    {
        var turn = Parse(text);
        if (turn is { IsValid: true, Answer: { } answer })
        {
            return (answer, true);
        }

        foreach (Match m in AnswerBlock().Matches(turn.Text))
        {
            if (m.Groups[1].Value.Trim() is { Length: > 0 } block)
            {
                return (block, false);
            }
        }

        var stripped = ProtocolTag().Replace(ThinkBlock().Replace(turn.Text, " "), " ").Trim();
        return (stripped.Length > 0 ? stripped : ProtocolTag().Replace(turn.Text, " ").Trim(), false);
    }

    /// <summary>Pool answers are shown to the router inside <c>&lt;information&gt;</c>; protocol tags in them become <c>[tag]</c>.</summary>
    internal static string Defuse(string text) => ProtocolTag().Replace(text, m => "[" + m.Value[1..^1] + "]");

    private static string? ParseBlocks(string text, List<SearchRequest> searches, List<string> answers)
    {
        string? openName = null;
        var openAt = 0;
        var bodyStart = 0;
        foreach (Match m in Tag().Matches(text))
        {
            var name = Canonical(m.Groups[2].Value);
            var at = m.Index.ToString(CultureInfo.InvariantCulture);
            if (m.Groups[1].Length == 0)
            {
                if (openName is not null)
                {
                    return $"<{name}> at character {at} is nested inside <{openName}> (opened at character {openAt.ToString(CultureInfo.InvariantCulture)}); close each tag before opening the next";
                }

                (openName, openAt, bodyStart) = (name, m.Index, m.Index + m.Length);
                continue;
            }

            if (openName is null)
            {
                return $"</{name}> at character {at} has no matching <{name}> before it";
            }

            if (!string.Equals(openName, name, StringComparison.Ordinal))
            {
                return $"</{name}> at character {at} closes <{openName}> (opened at character {openAt.ToString(CultureInfo.InvariantCulture)}); write </{openName}> first";
            }

            var body = text[bodyStart..m.Index];
            if (name == "answer")
            {
                answers.Add(body);
            }
            else if (name == "search")
            {
                var what = $"<search> number {(searches.Count + 1).ToString(CultureInfo.InvariantCulture)} (\"{Excerpt(body)}\")";
                if (Split(body, what, out var search) is { } problem)
                {
                    return problem;
                }

                searches.Add(search!);
            }

            openName = null;
        }

        return openName is null
            ? null
            : $"<{openName}> at character {openAt.ToString(CultureInfo.InvariantCulture)} is never closed with </{openName}>";
    }

    /// <summary>Splits a <c>Model: sub-question</c> payload on its first colon; a problem message about <paramref name="what"/> when it cannot.</summary>
    internal static string? Split(string payload, string what, out SearchRequest? search)
    {
        search = null;
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return $"{what} has no colon; write Model: sub-question";
        }

        var model = ModelNames.Normalize(payload[..colon]);
        var question = payload[(colon + 1)..].Trim();
        if (model.Length == 0)
        {
            return $"{what} has no model name before the colon";
        }

        if (question.Length == 0)
        {
            return $"{what} has no sub-question after the colon";
        }

        search = new SearchRequest(model, question);
        return null;
    }

    internal static string Excerpt(string text)
    {
        var flat = ModelNames.Normalize(text);
        return flat.Length <= 60 ? flat : flat[..57] + "...";
    }

    private static string Canonical(string name) =>
        name.Equals("think", StringComparison.OrdinalIgnoreCase) ? "think"
        : name.Equals("search", StringComparison.OrdinalIgnoreCase) ? "search"
        : "answer";
}
