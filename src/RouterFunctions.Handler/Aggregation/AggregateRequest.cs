using RouterFunctions.Aggregation;

namespace RouterFunctions.Handler.Aggregation;

/// <summary>The body of POST /api/aggregate.</summary>
public sealed record AggregateRequest(string? Question, AggregationStrategy? Strategy, decimal? Budget);

/// <summary>A message on the aggregate-calls queue: one router or pool call of a job.</summary>
public sealed record AggregateCallMessage(string JobId, string CallId);
