namespace RouterFunctions.Http.Endpoints;

/// <summary>The body of POST /api/route.</summary>
public sealed record RouteRequest(string? Query, PolicyRequest? Policy, IReadOnlyList<string>? AllowedModels);

public sealed record PolicyRequest(double? CostWeight, double? QualityBand, double? MaxCost);
