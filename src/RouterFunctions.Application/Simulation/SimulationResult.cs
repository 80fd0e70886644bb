namespace RouterFunctions.Application.Simulation;

/// <summary>A cold model's predicted mean quality on the test split beside its true mean, and how often it was routed to so far.</summary>
public sealed record ColdModelQuality(string Model, double Predicted, double True, int TimesChosen)
{
    public bool Within(double tolerance) => Math.Abs(Predicted - True) <= tolerance;
}

/// <summary>
/// One point of the learning curve: after <paramref name="Events"/> replayed queries (and the checkpoint's retrain),
/// the current profile measured on the test split.
/// </summary>
/// <param name="CostAtTarget">Mean cost per query at the target score, or null when no knob setting reaches it.</param>
/// <param name="CumulativeRegret">Sum over the events so far of the full-information profile's pick's score minus the router's pick's.</param>
/// <param name="Retrain">What the checkpoint's retrain did (null at 0 events).</param>
public sealed record SimulationCheckpoint(
    int Events,
    int ProfileVersion,
    double TestAiq,
    double? CostAtTarget,
    double CumulativeRegret,
    double ExplorationSpend,
    string? Retrain,
    ColdModelQuality? Cold);

/// <param name="Target">The resolved target score (mean score on the test split).</param>
/// <param name="ColdModelWithinAt">Events until the cold model's predicted test quality is within tolerance of its true mean, or null if never.</param>
/// <param name="Retrains">Retrains run: at checkpoints and on requests from ingestion (volume, drift).</param>
public sealed record SimulationResult(
    int SeedQueries,
    int Events,
    int TestQueries,
    double CostWeight,
    double Target,
    double FullInformationAiq,
    double? FullInformationCostAtTarget,
    IReadOnlyList<SimulationCheckpoint> Checkpoints,
    string? ColdModel,
    int? ColdModelWithinAt,
    int Retrains,
    int Published)
{
    /// <summary>How close a cold model's predicted mean quality must come to its true mean.</summary>
    public const double ColdTolerance = 0.02;
}
