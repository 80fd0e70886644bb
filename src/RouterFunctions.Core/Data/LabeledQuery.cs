namespace RouterFunctions.Core.Data;

/// <summary>A query with every candidate model's graded outcome (a RouterBench-style row).</summary>
public sealed record LabeledQuery(
    string Id,
    string Text,
    string? Task,
    string Split,
    IReadOnlyDictionary<string, ModelOutcome> Results)
{
    private static readonly IReadOnlySet<string> NoFlags = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The row's line in its file (1-based; 0 when not read from one): errors found later still point at the file.</summary>
    public int Line { get; init; }

    /// <summary>The row's top-level fields that are <c>true</c> (e.g. <c>contaminated</c>), for excluding rows by a flag.</summary>
    public IReadOnlySet<string> Flags { get; init; } = NoFlags;
}
