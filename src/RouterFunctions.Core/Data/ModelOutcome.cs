namespace RouterFunctions.Core.Data;

/// <summary>One graded call: quality in 0..1 and what it cost in USD.</summary>
public readonly record struct ModelOutcome(double Score, double Cost);
