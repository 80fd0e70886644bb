namespace RouterFunctions.Core.Data;

/// <summary>
/// Checks across rows, told by the row's file line: a missing result would otherwise surface after the embedding,
/// as an index into whichever subset was being evaluated.
/// </summary>
public static class DatasetChecks
{
    /// <summary>Every row has a result for exactly the models of the first row that has any.</summary>
    public static void RequireSameModels(IEnumerable<LabeledQuery> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        LabeledQuery? first = null;
        foreach (var row in rows)
        {
            first ??= row;
            if (first.Results.Keys.FirstOrDefault(m => !row.Results.ContainsKey(m)) is { } missing)
            {
                throw new FormatException($"line {row.Line}: no result for model '{missing}' (line {first.Line} has one): every row needs the same models");
            }

            if (row.Results.Keys.FirstOrDefault(m => !first.Results.ContainsKey(m)) is { } extra)
            {
                throw new FormatException($"line {row.Line}: a result for model '{extra}', which line {first.Line} lacks: every row needs the same models");
            }
        }
    }

    /// <summary>Every row has a result for each of <paramref name="models"/> (e.g. the models a profile routes to).</summary>
    public static void RequireModels(IEnumerable<LabeledQuery> rows, IEnumerable<string> models, string whose)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var names = models.ToList();
        foreach (var row in rows)
        {
            if (names.FirstOrDefault(m => !row.Results.ContainsKey(m)) is { } missing)
            {
                throw new FormatException($"line {row.Line}: no result for model '{missing}' that {whose}");
            }
        }
    }
}
