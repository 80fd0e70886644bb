using System.ComponentModel.DataAnnotations;

namespace RouterFunctions.Handler.Aggregation;

/// <summary>Multi-round aggregation (section "Aggregation").</summary>
public sealed class AggregationSettings
{
    public const string SectionName = "Aggregation";

    /// <summary>The configured model that plays the router LLM; default: the profile's best model that has a backend.</summary>
    public string? RouterModel { get; set; }

    /// <summary>USD a job may spend, router calls included.</summary>
    [Range(0.0001, 100)]
    public decimal Budget { get; set; } = 0.05m;

    [Range(1, 10)]
    public int MaxRoutingTurns { get; set; } = 4;

    [Range(1, 32)]
    public int MaxCalls { get; set; } = 8;
}
