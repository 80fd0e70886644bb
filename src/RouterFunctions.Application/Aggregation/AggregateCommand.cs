using RouterFunctions.Aggregation;

namespace RouterFunctions.Application.Aggregation;

/// <summary>Start a Router-R1 job: the question, the strategy (default MultiRound) and a budget in USD (default configured).</summary>
public sealed record AggregateCommand(string? Question, AggregationStrategy? Strategy, decimal? Budget)
{
    /// <summary>The first problem with the command (field, problem), or null.</summary>
    public (string Field, string Problem)? Validate() => this switch
    {
        { Question: null } or { Question.Length: 0 } => ("question", "is required"),
        { Question: var q } when string.IsNullOrWhiteSpace(q) => ("question", "must not be whitespace"),
        { Question.Length: > 16_000 } => ("question", "is longer than 16000 characters"),
        { Budget: <= 0 or > 100 } => ("budget", "must be between 0 and 100 USD"),
        { Strategy: { } strategy } when !Enum.IsDefined(strategy) => ("strategy", "must be MultiRound or Decompose"),
        _ => null,
    };
}

/// <summary>A message on the aggregate-calls queue: one router or pool call of a job.</summary>
public sealed record AggregateCallMessage(string JobId, string CallId);
