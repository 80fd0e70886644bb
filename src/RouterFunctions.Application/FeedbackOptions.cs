using System.ComponentModel.DataAnnotations;
using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Application;

/// <summary>Feedback ingestion and retraining (section "Feedback").</summary>
public sealed class FeedbackOptions
{
    public const string SectionName = "Feedback";

    /// <summary>From this delivery on, a message that still fails is parked with its error and acknowledged.</summary>
    [Range(1, 100)]
    public int ParkAfterDeliveries { get; set; } = 5;

    /// <summary>
    /// Feedback on a requestId this recent is accepted while its decision is not stored yet (decisions are written
    /// behind, maybe by another instance); the consumer retries until it is, and parks it after ParkAfterDeliveries.
    /// </summary>
    [Range(0, 3600)]
    public double PendingDecisionSeconds { get; set; } = 30;

    [Range(1, int.MaxValue)]
    public int RetrainAfterEvents { get; set; } = 500;

    [Range(0.01, 1)]
    public double DriftThreshold { get; set; } = 0.2;

    [Range(1, 1_000_000)]
    public double DriftMinCount { get; set; } = 30;

    [Range(0.01, 0.9)]
    public double HeldOutRatio { get; set; } = 0.2;

    [Range(1, 1_000_000)]
    public int MinHeldOut { get; set; } = 10;

    /// <summary>Clips feedback's inverse-propensity weight in retraining (see RetrainOptions.MaxPropensityWeight).</summary>
    [Range(1, 1000)]
    public double MaxPropensityWeight { get; set; } = 10;

    public RetrainPolicy Policy => new() { VolumeThreshold = RetrainAfterEvents, DriftThreshold = DriftThreshold, DriftMinCount = DriftMinCount };

    public RetrainOptions Retrain => new() { HeldOutRatio = HeldOutRatio, MinHeldOut = MinHeldOut, MaxPropensityWeight = MaxPropensityWeight };
}
