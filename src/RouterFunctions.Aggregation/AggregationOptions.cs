using System.Text.Json.Serialization;

namespace RouterFunctions.Aggregation;

/// <summary>Limits of one aggregation job. Token counts are approximate: characters / <see cref="CharsPerToken"/>.</summary>
public sealed record AggregationOptions
{
    /// <summary>The configured model that plays the router LLM; null: the profile's best model that has a backend.</summary>
    public string? RouterModel { get; init; }

    /// <summary>Router turns that may call models (re-prompts included); one routing-disabled answer turn follows.</summary>
    public int MaxRoutingTurns { get; init; } = 4;

    /// <summary>Pool calls per job (router calls not counted).</summary>
    public int MaxCalls { get; init; } = 8;

    /// <summary>An observation longer than this many (approximate) tokens is cut.</summary>
    public int ObservationCapTokens { get; init; } = 600;

    public int CharsPerToken { get; init; } = 4;

    /// <summary>USD per request, router calls included; shown to the router and debited after every call.</summary>
    public decimal Budget { get; init; } = 0.05m;

    public decimal RouterInputPricePerMillion { get; init; }

    public decimal RouterOutputPricePerMillion { get; init; }

    /// <summary>Re-prompts after a format error; the next format error forces the answer.</summary>
    public int MaxReprompts { get; init; } = 1;

    /// <summary>Output cap the host should set on pool calls; also the output side of a call's cost estimate.</summary>
    public int PoolMaxOutputTokens { get; init; } = 512;

    /// <summary>Input side of a pool call's cost estimate (agent prompt plus sub-question).</summary>
    public int EstimatedCallInputTokens { get; init; } = 200;

    /// <summary>Output side of a router turn's cost estimate (its input is the transcript so far).</summary>
    public int EstimatedRouterOutputTokens { get; init; } = 400;

    [JsonIgnore]
    public int ObservationCapChars => ObservationCapTokens * CharsPerToken;

    public decimal RouterCost(TokenUsage usage) =>
        ((usage.InputTokens * RouterInputPricePerMillion) + (usage.OutputTokens * RouterOutputPricePerMillion)) / 1_000_000m;

    /// <summary>The first invalid field and why, or null when the options are usable.</summary>
    public (string Field, string Problem)? Validate()
    {
        if (MaxRoutingTurns < 1)
        {
            return ("maxRoutingTurns", "must be at least 1");
        }

        if (MaxCalls < 1)
        {
            return ("maxCalls", "must be at least 1");
        }

        if (ObservationCapTokens < 1 || CharsPerToken < 1)
        {
            return (ObservationCapTokens < 1 ? "observationCapTokens" : "charsPerToken", "must be at least 1");
        }

        if (Budget <= 0)
        {
            return ("budget", "must be a positive number of USD");
        }

        if (RouterInputPricePerMillion < 0 || RouterOutputPricePerMillion < 0)
        {
            return ("routerPrice", "must not be negative");
        }

        if (MaxReprompts < 0)
        {
            return ("maxReprompts", "must not be negative");
        }

        if (PoolMaxOutputTokens < 1 || EstimatedCallInputTokens < 0 || EstimatedRouterOutputTokens < 0)
        {
            return ("estimates", "token counts must not be negative, and the pool output cap must be at least 1");
        }

        return null;
    }
}
