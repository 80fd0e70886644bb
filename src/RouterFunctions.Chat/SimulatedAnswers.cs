using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat;

/// <summary>
/// The text of a simulated answer: a function of the model and the conversation only. A plain chat gets
/// <c>[simulated MODEL]</c>, an echo of the last question's first words and a canned sentence picked by a stable hash.
/// A conversation under the Router-R1 aggregation prompts (recognised by their system prompt, since this layer does
/// not reference the aggregation project) gets a valid router turn: first a <c>&lt;search&gt;</c> to the pool model with
/// the highest predicted quality (the first listed without one), once an <c>&lt;information&gt;</c> came back or
/// routing is disabled an <c>&lt;answer&gt;</c>; for the decomposition strategy a one-line plan, then the answer.
/// </summary>
internal static partial class SimulatedAnswers
{
    /// <summary>Marks the multi-round router's system prompt (AggregationPrompts.MultiRoundSystem).</summary>
    internal const string MultiRoundMarker = "<search> ModelName: sub-question </search>";

    /// <summary>Marks the decomposition router's system prompt (AggregationPrompts.DecomposeSystem).</summary>
    internal const string DecomposeMarker = "Reply with the plan only, one line per sub-question";

    private static readonly string[] Canned =
    [
        "This answer comes from the simulated backend: no language model was called.",
        "A real model would answer here; the simulation only shows the request went through.",
        "Routing, failover and usage accounting ran as they would with a real backend.",
        "Configure a real endpoint for this model to get a real answer.",
        "The text is deterministic: the same model and conversation always give it.",
        "Token usage is counted from the characters, about four per token.",
    ];

    public static string Prefix(string model) => $"[simulated {model}] ";

    public static string Reply(string model, IReadOnlyList<ChatMessage> conversation)
    {
        var system = string.Join("\n", conversation.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        if (system.Contains(MultiRoundMarker, StringComparison.Ordinal))
        {
            return RouterTurn(model, conversation, decompose: false);
        }

        if (system.Contains(DecomposeMarker, StringComparison.Ordinal))
        {
            return RouterTurn(model, conversation, decompose: true);
        }

        var question = conversation.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var canned = Canned[(int)(Hash(model, conversation) % (ulong)Canned.Length)];
        return Prefix(model) + $"You asked: \"{FirstWords(question, 12)}\". {canned}";
    }

    /// <summary>A stable 64-bit hash of the model and every message's role and text (not string.GetHashCode: that is per process).</summary>
    public static ulong Hash(string model, IReadOnlyList<ChatMessage> conversation)
    {
        var text = new StringBuilder(model);
        foreach (var m in conversation)
        {
            text.Append('\u241E').Append(m.Role.Value).Append('\u241F').Append(m.Text);
        }

        return BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0);
    }

    [GeneratedRegex(@"^Question: (?<q>.*?)\n\nModels you can call", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex QuestionLine();

    [GeneratedRegex(@"^- (?<name>[^\n]+?): \$[0-9.]+ / \$[0-9.]+(?:; predicted quality for this question (?<quality>[0-9.]+))?", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PoolLine();

    [GeneratedRegex(@"<information>\n(?<model>[^\n:]+):", RegexOptions.CultureInvariant)]
    private static partial Regex InformationFrom();

    private static string RouterTurn(string model, IReadOnlyList<ChatMessage> conversation, bool decompose)
    {
        var users = conversation.Where(m => m.Role == ChatRole.User).Select(m => m.Text).ToList();
        var first = users.FirstOrDefault() ?? "";
        var last = users.LastOrDefault() ?? "";
        var question = QuestionLine().Match(first) is { Success: true } q ? Flat(q.Groups["q"].Value) : Flat(first);
        var pool = PoolLine().Matches(first)
            .Select((m, i) => (Name: m.Groups["name"].Value.Trim(), Quality: Quality(m), Index: i))
            .OrderByDescending(m => m.Quality).ThenBy(m => m.Index).Select(m => m.Name).FirstOrDefault();
        var informed = users.Skip(1).Any(u => u.Contains("<information>", StringComparison.Ordinal));
        var disabled = last.Contains("Routing is disabled", StringComparison.Ordinal);
        var prefix = Prefix(model).TrimEnd();
        if (informed || disabled || pool is null)
        {
            var from = conversation.Where(m => m.Role == ChatRole.User)
                .SelectMany(m => InformationFrom().Matches(m.Text)).Select(m => m.Groups["model"].Value.Trim()).Distinct().ToList();
            var basis = from.Count == 0 ? "without consulting a model" : "after consulting " + string.Join(", ", from);
            return $"<think>{prefix} The information is in; answering.</think>\n<answer>[simulated] An answer to \"{FirstWords(question, 12)}\", {basis}.</answer>";
        }

        return decompose
            ? $"<think>{prefix} One sub-question is enough; {pool} has the best predicted quality.</think>\n{pool}: {question}"
            : $"{prefix} <think>{pool} has the best predicted quality; asking it.</think>\n<search> {pool}: {question} </search>";
    }

    private static double Quality(Match m) =>
        m.Groups["quality"].Success && double.TryParse(m.Groups["quality"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var quality)
            ? quality
            : double.NegativeInfinity;

    /// <summary>One line, no angle brackets: an echoed question must not break the turn's tags or a plan's lines.</summary>
    private static string Flat(string text) =>
        string.Join(' ', text.Replace('<', '[').Replace('>', ']').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string FirstWords(string text, int count)
    {
        var words = Flat(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= count ? string.Join(' ', words) : string.Join(' ', words.Take(count)) + " ...";
    }
}
