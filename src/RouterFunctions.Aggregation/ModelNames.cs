using System.Text.RegularExpressions;

namespace RouterFunctions.Aggregation;

/// <summary>
/// The exact model-name allow-list: a name written by the router matches a pool model when both are equal after trimming,
/// collapsing whitespace runs to one space and ignoring case. Nothing else: no substrings, no prefixes, no fuzzy matching.
/// </summary>
public static partial class ModelNames
{
    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Whitespace().Replace(name.Trim(), " ");
    }

    public static bool Matches(string written, string poolName) =>
        string.Equals(Normalize(written), Normalize(poolName), StringComparison.OrdinalIgnoreCase);

    /// <summary>The pool model <paramref name="written"/> names, or null.</summary>
    public static PoolModel? Resolve(IEnumerable<PoolModel> pool, string written)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.FirstOrDefault(m => Matches(written, m.Name));
    }

    /// <summary>Why this pool cannot be offered to a router, or null: names must be non-empty, colon-free, one line and unique once normalised.</summary>
    public static string? Problem(IReadOnlyList<PoolModel> pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Count == 0)
        {
            return "the pool is empty";
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in pool)
        {
            if (string.IsNullOrWhiteSpace(model.Name))
            {
                return "a pool model has no name";
            }

            if (model.Name.Contains(':', StringComparison.Ordinal) || model.Name.AsSpan().ContainsAny('\n', '\r'))
            {
                return $"pool model \"{model.Name}\" has a colon or a line break; the router splits \"Model: question\" on the first colon, so give it an alias";
            }

            if (!seen.Add(Normalize(model.Name)))
            {
                return $"two pool models are both named \"{Normalize(model.Name)}\" once trimmed and case-folded";
            }

            if (model.InputPricePerMillion < 0 || model.OutputPricePerMillion < 0)
            {
                return $"pool model \"{model.Name}\" has a negative price";
            }
        }

        return null;
    }
}
