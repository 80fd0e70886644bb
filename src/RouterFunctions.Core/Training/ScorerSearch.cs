using RouterFunctions.Core.Metrics;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Training;

public sealed record SearchTrial(TrainingOptions Options, double CrossValidatedAiq);

/// <summary>
/// Picks training options by k-fold cross-validated AIQ on the training data only. Folds are a seeded shuffle;
/// the structure is fitted once per (fold, clusters per group) and the heads once per (fold, regularisation),
/// then shared by every setting that needs them.
/// </summary>
public static class ScorerSearch
{
    public static IReadOnlyList<SearchTrial> Run(
        IReadOnlyList<TrainingExample> examples,
        IReadOnlyList<ModelDescriptor> models,
        TrainingOptions template,
        SearchSpace space,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(space);
        // Without task labels both group sources are the same clusters: try them once.
        var hasTasks = ProfileStructure.HasTasks(examples);
        var candidates = space.Candidates(template).Where(c => hasTasks || c.TaskGroups == space.TaskGroups[0]).ToList();
        var folds = Folds(examples.Count, space.Folds, template.Seed);
        var names = models.Select(m => m.Name).ToList();
        var totals = new double[candidates.Count];
        for (var f = 0; f < folds.Count; f++)
        {
            var train = folds.Where((_, i) => i != f).SelectMany(x => x).Select(i => examples[i]).ToList();
            var validation = folds[f].Select(i => examples[i]).ToList();
            var table = new OutcomeTable(names, [.. validation.Select(v => v.Outcomes)]);
            var baselines = Baselines.Compute(table);
            var heads = new Dictionary<(bool, double), LogisticHead?[][]>();
            foreach (var group in candidates.Select((c, i) => (c, i)).GroupBy(x => (x.c.ClustersPerGroup, x.c.TaskGroups)))
            {
                var structure = ProfileStructure.Fit(train, group.First().c);
                foreach (var (candidate, index) in group)
                {
                    var scorer = candidate.Scorer;
                    LogisticHead?[][]? fitted = null;
                    if (scorer.Kind == ScorerKind.GroupLogistic && !heads.TryGetValue((candidate.TaskGroups, scorer.Regularization), out fitted))
                    {
                        // Heads depend on the groups (tasks or coarse clusters, the same for every structure of a fold
                        // that uses them), not on the fine clusters.
                        fitted = heads[(candidate.TaskGroups, scorer.Regularization)] = ProfileTrainer.FitHeads(structure, train, models, scorer.Regularization);
                    }

                    var profile = ProfileTrainer.Build(structure, train, models, "cv", candidate, fitted);
                    totals[index] += ValidationAiq(profile, validation, table, baselines, space.SweepSteps);
                }
            }

            progress?.Report($"cross-validation fold {f + 1}/{folds.Count} done");
        }

        return [.. candidates.Select((c, i) => new SearchTrial(c, totals[i] / folds.Count)).OrderByDescending(t => t.CrossValidatedAiq)];
    }

    private static double ValidationAiq(RoutingProfile profile, List<TrainingExample> validation, OutcomeTable table, Baselines baselines, int steps)
    {
        var estimator = new QualityEstimator(profile);
        var estimates = validation.Select(v => estimator.Estimate(v.Embedding)).ToList();
        return RouterSweep.Aiq(RouterSweep.Run(estimates, table, estimator.CostScale, RouterSweep.CostWeights(steps)), baselines);
    }

    /// <summary>The seeded k-fold split, shared with <see cref="GroupFallback"/> so both judge on the same folds.</summary>
    internal static List<int[]> Folds(int count, int folds, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return [.. Enumerable.Range(0, folds).Select(f => order.Where((_, i) => i % folds == f).ToArray())];
    }
}
