using System.Globalization;

namespace RouterFunctions.Core.Metrics;

/// <summary>
/// A mean score to report the router's cost at: absolute (0.875) or relative to the best single model of the set it
/// is resolved on (best-0.005), so one target means the same thing on every task with its own best model.
/// </summary>
public readonly record struct ScoreTarget(double Value, bool RelativeToBest)
{
    private const string Best = "best";

    public double Resolve(Baselines baselines)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        return RelativeToBest ? baselines.BestSingle.Score + Value : Value;
    }

    public override string ToString() => RelativeToBest
        ? Value == 0 ? Best : string.Create(CultureInfo.InvariantCulture, $"{Best}{Value:+0.####;-0.####}")
        : Value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>"0.875", "best", "best-0.005" or "best+0.01"; anything else, or an absolute score outside 0..1, is a <see cref="FormatException"/>.</summary>
    public static ScoreTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (s.StartsWith(Best, StringComparison.OrdinalIgnoreCase))
        {
            var delta = s[Best.Length..].Replace(" ", "", StringComparison.Ordinal);
            if (delta.Length == 0)
            {
                return new ScoreTarget(0, RelativeToBest: true);
            }

            if (delta[0] is '+' or '-' && Number(delta) is { } d && Math.Abs(d) <= 1)
            {
                return new ScoreTarget(d, RelativeToBest: true);
            }
        }
        else if (Number(s) is { } score && score is >= 0 and <= 1)
        {
            return new ScoreTarget(score, RelativeToBest: false);
        }

        throw new FormatException($"'{text}' is not a target score: give a mean score in 0..1 (0.875) or one relative to the best single model (best, best-0.005).");
    }

    /// <summary>A comma-separated list, at least one target.</summary>
    public static IReadOnlyList<ScoreTarget> ParseList(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var parts = values.SelectMany(v => v.Split(',')).ToList();
        if (parts.Count == 0 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException("An empty target: give a comma-separated list such as 0.875,best-0.005.");
        }

        return [.. parts.Select(Parse).Distinct()];
    }

    private static double? Number(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
}
