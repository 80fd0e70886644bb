using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Aggregation;

/// <summary>
/// A model the router LLM may call, as described to it: the name it must write (the allow-list entry), prices, strengths
/// and, when a routing profile was consulted, the predicted quality for this query.
/// </summary>
public sealed record PoolModel
{
    /// <summary>The exact name the router writes in <c>&lt;search&gt;</c>; matched after trimming, collapsing whitespace and ignoring case. No colon.</summary>
    public required string Name { get; init; }

    /// <summary>USD per 1M input tokens.</summary>
    public decimal InputPricePerMillion { get; init; }

    /// <summary>USD per 1M output tokens.</summary>
    public decimal OutputPricePerMillion { get; init; }

    /// <summary>Strengths or notes shown to the router.</summary>
    public string? Notes { get; init; }

    /// <summary>The profile's predicted quality (0..1) for this query, when known.</summary>
    public double? PredictedQuality { get; init; }

    public double? TypicalLatencySeconds { get; init; }

    public decimal Cost(TokenUsage usage) =>
        ((usage.InputTokens * InputPricePerMillion) + (usage.OutputTokens * OutputPricePerMillion)) / 1_000_000m;

    public static PoolModel From(ModelDescriptor model, double? predictedQuality = null, string? notes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new PoolModel
        {
            Name = model.Name,
            InputPricePerMillion = (decimal)model.InputPricePerMillion,
            OutputPricePerMillion = (decimal)model.OutputPricePerMillion,
            PredictedQuality = predictedQuality,
            Notes = notes,
        };
    }

    /// <summary>
    /// The pool for one query from a routing decision: the decision's candidates (enabled and allowed models) in
    /// <paramref name="models"/> order, each with its predicted quality and optional notes.
    /// </summary>
    public static IReadOnlyList<PoolModel> FromDecision(
        RoutingDecision decision, IEnumerable<ModelDescriptor> models, IReadOnlyDictionary<string, string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(models);
        var quality = decision.Candidates.ToDictionary(c => c.Model, c => c.PredictedQuality, StringComparer.Ordinal);
        return [.. models.Where(m => quality.ContainsKey(m.Name))
            .Select(m => From(m, quality[m.Name], notes is not null && notes.TryGetValue(m.Name, out var n) ? n : null))];
    }
}
