namespace RouterFunctions.Core.Data;

/// <summary>A query with every candidate model's graded outcome (a RouterBench-style row).</summary>
public sealed record LabeledQuery(
    string Id,
    string Text,
    string? Task,
    string Split,
    IReadOnlyDictionary<string, ModelOutcome> Results);
