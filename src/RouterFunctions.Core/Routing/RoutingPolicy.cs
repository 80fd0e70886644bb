namespace RouterFunctions.Core.Routing;

/// <summary>
/// How to trade quality for cost. By default the knob: utility = quality − <see cref="CostWeight"/> · normalised cost.
/// With <see cref="QualityBand"/> set: the cheapest model predicted within that band of the best.
/// <see cref="MaxCost"/> caps the predicted cost of a single call (USD) under either.
/// </summary>
public sealed record RoutingPolicy
{
    public static RoutingPolicy Default { get; } = new();

    /// <summary>0 = best quality regardless of cost; 1 = cost counts as much as the whole quality scale.</summary>
    public double CostWeight { get; init; } = 0.25;

    public double? QualityBand { get; init; }

    public double? MaxCost { get; init; }

    /// <summary>The first invalid field and why, or null when the policy is usable.</summary>
    public (string Field, string Problem)? Validate()
    {
        if (!double.IsFinite(CostWeight) || CostWeight is < 0 or > 1)
        {
            return ("policy.costWeight", "must be between 0 and 1");
        }

        if (QualityBand is { } band && (!double.IsFinite(band) || band is < 0 or > 1))
        {
            return ("policy.qualityBand", "must be between 0 and 1");
        }

        if (MaxCost is { } max && (!double.IsFinite(max) || max <= 0))
        {
            return ("policy.maxCost", "must be a positive number of USD");
        }

        return null;
    }
}
