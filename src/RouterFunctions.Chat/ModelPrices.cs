using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat;

/// <summary>A model's prices in USD per 1M tokens.</summary>
public readonly record struct ModelPrices(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>
    /// USD for the usage: input tokens × input price + output tokens × output price. Output tokens are the provider's
    /// completion tokens, reasoning included (that is how they are billed); cached-input discounts are not modelled.
    /// </summary>
    public double CostOf(UsageDetails usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return ((usage.InputTokenCount ?? 0) * InputPerMillion + (usage.OutputTokenCount ?? 0) * OutputPerMillion) / 1_000_000d;
    }
}
