namespace RouterFunctions.Core.Profiles;

/// <summary>What the router knows about a model before any feedback: prices, limits and a cold-start prior.</summary>
public sealed record ModelDescriptor
{
    public required string Name { get; init; }

    public double InputPricePerMillion { get; init; }

    public double OutputPricePerMillion { get; init; }

    public int? ContextLength { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>Quality assumed until the model has graded results (cold start).</summary>
    public double? PriorQuality { get; init; }

    /// <summary>Cost per query assumed until the model has results; otherwise estimated from its prices.</summary>
    public double? PriorCost { get; init; }

    /// <summary>Cold-start cost from prices at a typical short prompt (500 tokens in, 200 out).</summary>
    public double EstimatedCost => PriorCost ?? (((InputPricePerMillion * 500) + (OutputPricePerMillion * 200)) / 1e6);
}
