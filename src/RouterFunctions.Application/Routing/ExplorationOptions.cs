using System.ComponentModel.DataAnnotations;

namespace RouterFunctions.Application.Routing;

/// <summary>
/// Exploration for partial feedback (section "Router:Exploration"): off by default, since an explored request goes
/// to a model the router thinks worse or dearer. <c>routerfn simulate</c> turns it on.
/// </summary>
public sealed class ExplorationOptions
{
    public const string SectionName = "Router:Exploration";

    /// <summary>ε: the share of requests whose model is drawn uniformly from those the request may use.</summary>
    [Range(0.0, 0.5)]
    public double Share { get; set; }

    /// <summary>
    /// The most exploration may add to the predicted spend, in USD per 1,000 requests (over the greedy picks) since
    /// the instance started; a request that would exceed it is not explored. Unset: no cap beyond <see cref="Share"/>.
    /// </summary>
    [Range(0.0, 1_000_000.0)]
    public double? MaxSpendPer1k { get; set; }

    /// <summary>Seeds the exploration draws, so runs and tests repeat.</summary>
    [Range(0, int.MaxValue)]
    public int Seed { get; set; } = 42;
}
