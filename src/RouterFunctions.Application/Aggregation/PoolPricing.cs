using RouterFunctions.Chat;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Application.Aggregation;

/// <summary>Pool calls cost what their backend charges, whatever prices the profile was trained with.</summary>
public static class PoolPricing
{
    /// <summary>The profile's models that have a backend, priced as their backend is configured.</summary>
    public static IReadOnlyList<ModelDescriptor> Priced(IEnumerable<ModelDescriptor> models, ChatBackends backends)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(backends);
        return [.. models.Where(m => backends.Contains(m.Name)).Select(m => backends.Models.Single(b => b.Name == m.Name) is var b
            ? m with { InputPricePerMillion = b.InputPricePerMillion, OutputPricePerMillion = b.OutputPricePerMillion }
            : m)];
    }
}
