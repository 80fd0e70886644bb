namespace RouterFunctions.Core.Metrics;

/// <summary>A router configuration's result on a set: mean cost per query (USD) and mean score.</summary>
public readonly record struct CurvePoint(double Cost, double Score);
