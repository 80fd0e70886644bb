using RouterFunctions.Core.Metrics;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Training;

/// <summary>One group's cross-validated AIQ under each prediction mode, and the mode chosen.</summary>
/// <param name="Examples">The group's training examples.</param>
/// <param name="BestModel">The group's best single model on all training data (the model <see cref="GroupPrediction.Best"/> pins).</param>
public sealed record GroupFallbackRow(string Group, int Examples, double ScorerAiq, double MeansAiq, double BestAiq, string BestModel, GroupMode Chosen);

/// <summary>
/// "Never worse than the zero router", per group: on the folds <see cref="ScorerSearch"/> uses, each group's validation
/// queries are scored with the chosen scorer, with the group's per-model means (the group's zero router once the knob
/// sweeps) and with its best single model, each against the group's own baselines. A group keeps the scorer unless a
/// fallback beats it by more than a margin, so fold noise does not flip a group whose scorer is as good.
/// </summary>
public static class GroupFallback
{
    /// <summary>Half a point of AIQ: well above the differences between equivalent modes, below a real regression.</summary>
    public const double DefaultMargin = 0.005;

    public static IReadOnlyList<GroupFallbackRow> Choose(
        IReadOnlyList<TrainingExample> examples,
        IReadOnlyList<ModelDescriptor> models,
        TrainingOptions options,
        SearchSpace space,
        double margin = DefaultMargin)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(space);

        // Groups are the final profile's (the structure is deterministic for the options), so a fold's figures land on
        // the group the choice is stored for even when groups are clusters that a fold's own k-means would number otherwise.
        var full = ProfileStructure.Fit(examples, options);
        var groupCount = full.Groups.Count;
        var names = models.Select(m => m.Name).ToList();
        var sums = new double[groupCount, 3];
        var weights = new double[groupCount];
        var folds = ScorerSearch.Folds(examples.Count, space.Folds, options.Seed);
        for (var f = 0; f < folds.Count; f++)
        {
            var trainRows = folds.Where((_, i) => i != f).SelectMany(x => x).ToList();
            var train = trainRows.Select(i => examples[i]).ToList();
            var structure = ProfileStructure.Fit(train, options);
            var heads = options.Scorer.Kind == ScorerKind.GroupLogistic
                ? ProfileTrainer.FitHeads(structure, train, models, options.Scorer.Regularization)
                : null;
            var estimator = new QualityEstimator(ProfileTrainer.Build(structure, train, models, "cv", options, heads));
            var stats = GroupStats.From(trainRows.Select(i => (examples[i], full.ExampleGroups[i])), groupCount, models, options.Scorer.Shrinkage);
            foreach (var group in folds[f].GroupBy(i => full.ExampleGroups[i]))
            {
                var rows = group.ToList();
                var table = new OutcomeTable(names, [.. rows.Select(i => examples[i].Outcomes)]);
                var baselines = Baselines.Compute(table);
                if (!(baselines.MaxCost > baselines.MinCost))
                {
                    continue; // AIQ needs a cost range; a fold this thin for the group says nothing.
                }

                var scorer = rows.Select(i => estimator.Estimate(examples[i].Embedding)).ToList();
                var g = group.Key;
                var means = scorer.Select(e => stats.Constant(g, e, pinned: false)).ToList();
                var best = scorer.Select(e => stats.Constant(g, e, pinned: true)).ToList();
                var modes = new[] { scorer, means, best };
                for (var mode = 0; mode < modes.Length; mode++)
                {
                    var sweep = RouterSweep.Run(modes[mode], table, estimator.CostScale, RouterSweep.CostWeights(space.SweepSteps));
                    sums[g, mode] += RouterSweep.Aiq(sweep, baselines) * rows.Count;
                }

                weights[g] += rows.Count;
            }
        }

        var all = GroupStats.From(examples.Select((e, i) => (e, full.ExampleGroups[i])), groupCount, models, options.Scorer.Shrinkage);
        return
        [
            .. Enumerable.Range(0, groupCount).Select(g =>
            {
                double Cv(int mode) => weights[g] > 0 ? sums[g, mode] / weights[g] : double.NaN;
                var (scorer, means, best) = (Cv(0), Cv(1), Cv(2));
                var bestModel = models[all.BestModel(g)].Name;

                // Means before Best on a tie: it keeps the knob, so the cheap end of the curve stays reachable.
                var fallback = best > means ? new GroupMode(GroupPrediction.Best, bestModel) : new GroupMode(GroupPrediction.Means);
                var fallbackAiq = Math.Max(means, best);
                var chosen = double.IsFinite(scorer) && double.IsFinite(fallbackAiq) && fallbackAiq > scorer + margin ? fallback : GroupMode.Scorer;
                return new GroupFallbackRow(full.Groups[g], full.ExampleGroups.Count(x => x == g), scorer, means, best, bestModel, chosen);
            }),
        ];
    }

    /// <summary>Per (group, model) and per model training statistics, shrunk as <see cref="QualityEstimator"/> shrinks them.</summary>
    private sealed class GroupStats(CellStats[][] groups, double[] priorQuality, double[] priorCost, double shrinkage)
    {
        public static GroupStats From(IEnumerable<(TrainingExample Example, int Group)> rows, int groupCount, IReadOnlyList<ModelDescriptor> models, double shrinkage)
        {
            var groups = Enumerable.Range(0, groupCount).Select(_ => new CellStats[models.Count]).ToArray();
            var global = new CellStats[models.Count];
            foreach (var (example, g) in rows)
            {
                for (var m = 0; m < models.Count; m++)
                {
                    if (example.Outcomes.TryGetValue(models[m].Name, out var outcome))
                    {
                        // Weighted as ProfileTrainer weights the profile's statistics, which the estimator's means come from.
                        groups[g][m] = groups[g][m].Add(outcome.Score, outcome.Cost, example.Weight);
                        global[m] = global[m].Add(outcome.Score, outcome.Cost, example.Weight);
                    }
                }
            }

            var priorQuality = global.Select((c, m) => c.Count > 0 ? c.MeanScore : models[m].PriorQuality ?? 0.5).ToArray();
            var priorCost = global.Select((c, m) => c.Count > 0 ? c.MeanCost : models[m].EstimatedCost).ToArray();
            return new GroupStats(groups, priorQuality, priorCost, shrinkage);
        }

        /// <summary>The group's best single model by shrunk mean score (ties: cheaper), the predictions the estimator will use.</summary>
        public int BestModel(int g)
        {
            var best = 0;
            for (var m = 1; m < priorQuality.Length; m++)
            {
                var (q, c, bq, bc) = (Quality(g, m), Cost(g, m), Quality(g, best), Cost(g, best));
                if (q > bq || (q == bq && c < bc))
                {
                    best = m;
                }
            }

            return best;
        }

        /// <summary>The same per-model predictions for every query of the group, optionally pinned to its best model.</summary>
        public Estimate Constant(int g, Estimate scorer, bool pinned) =>
            new([.. Enumerable.Range(0, priorQuality.Length).Select(m => Quality(g, m))], [.. Enumerable.Range(0, priorCost.Length).Select(m => Cost(g, m))], scorer.Clusters, scorer.NearestDistance)
            {
                Pinned = pinned ? BestModel(g) : null,
            };

        private double Quality(int g, int m) => Shrink(groups[g][m].Count, groups[g][m].MeanScore, priorQuality[m]);

        private double Cost(int g, int m) => Shrink(groups[g][m].Count, groups[g][m].MeanCost, priorCost[m]);

        private double Shrink(double count, double mean, double prior) =>
            count + shrinkage <= 0 ? prior : ((count * mean) + (shrinkage * prior)) / (count + shrinkage);
    }
}
