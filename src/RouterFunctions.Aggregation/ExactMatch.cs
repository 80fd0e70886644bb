using System.Text;
using System.Text.RegularExpressions;

namespace RouterFunctions.Aggregation;

/// <summary>SQuAD-style exact match, as Router-R1 reports it: lower-case, drop punctuation, drop the articles a/an/the, collapse whitespace.</summary>
public static partial class ExactMatch
{
    [GeneratedRegex(@"\b(a|an|the)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Articles();

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kept = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsPunctuation(c) && !char.IsSymbol(c))
            {
                kept.Append(char.ToLowerInvariant(c));
            }
        }

        return ModelNames.Normalize(Articles().Replace(kept.ToString(), " "));
    }

    public static bool Matches(string prediction, string gold) =>
        string.Equals(Normalize(prediction), Normalize(gold), StringComparison.Ordinal);

    /// <summary>1 when the prediction matches any gold answer, else 0.</summary>
    public static double Score(string prediction, IEnumerable<string> golds)
    {
        ArgumentNullException.ThrowIfNull(golds);
        var normalized = Normalize(prediction);
        return golds.Any(g => string.Equals(normalized, Normalize(g), StringComparison.Ordinal)) ? 1 : 0;
    }
}
