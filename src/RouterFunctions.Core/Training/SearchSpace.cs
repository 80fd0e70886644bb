using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Training;

/// <summary>The scorer settings cross-validation chooses among.</summary>
public sealed record SearchSpace
{
    public IReadOnlyList<ScorerKind> Kinds { get; init; } = [ScorerKind.Centroids, ScorerKind.GroupLogistic];

    public IReadOnlyList<int> ClustersPerGroup { get; init; } = [1, 4, 8];

    /// <summary>Groups from the task labels, from clusters, or both tried (data without labels: clusters only).</summary>
    public IReadOnlyList<bool> TaskGroups { get; init; } = [true, false];

    public IReadOnlyList<int> TopK { get; init; } = [1, 3];

    public IReadOnlyList<double> Temperatures { get; init; } = [0.05, 0.1];

    public IReadOnlyList<double> Shrinkages { get; init; } = [3, 10, 30];

    public IReadOnlyList<double> Regularizations { get; init; } = [0.03, 0.1, 0.3];

    public int Folds { get; init; } = 5;

    /// <summary>Knob steps per fold; coarser than the final evaluation's sweep because only the ranking matters.</summary>
    public int SweepSteps { get; init; } = 100;

    public IEnumerable<TrainingOptions> Candidates(TrainingOptions template) =>
        from taskGroups in TaskGroups
        from clusters in ClustersPerGroup
        from kind in Kinds
        from topK in TopK
        where topK <= clusters
        from temperature in topK == 1 ? Temperatures.Take(1) : Temperatures // one centroid: the temperature is moot
        from shrinkage in Shrinkages
        from regularization in kind == ScorerKind.GroupLogistic ? Regularizations : Regularizations.Take(1)
        select template with
        {
            TaskGroups = taskGroups,
            ClustersPerGroup = clusters,
            Scorer = new ScorerSettings { Kind = kind, TopK = topK, Temperature = temperature, Shrinkage = shrinkage, Regularization = regularization },
        };
}
