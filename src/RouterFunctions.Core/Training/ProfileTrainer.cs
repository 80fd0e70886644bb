using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Training;

/// <summary>Builds a <see cref="RoutingProfile"/> from embedded, graded queries.</summary>
public static class ProfileTrainer
{
    /// <summary>With fewer graded examples than this, or only one outcome, a (group, model) gets no head: statistics serve.</summary>
    private const int MinimumHeadExamples = 20;

    public static RoutingProfile Train(
        IReadOnlyList<TrainingExample> examples,
        IReadOnlyList<ModelDescriptor> models,
        string embeddingModelId,
        TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var structure = ProfileStructure.Fit(examples, options);
        var heads = options.Scorer.Kind == ScorerKind.GroupLogistic
            ? FitHeads(structure, examples, models, options.Scorer.Regularization)
            : null;
        return Build(structure, examples, models, embeddingModelId, options, heads);
    }

    /// <summary>One logistic regression per (group, model) on that group's examples.</summary>
    public static LogisticHead?[][] FitHeads(
        ProfileStructure structure, IReadOnlyList<TrainingExample> examples, IReadOnlyList<ModelDescriptor> models, double regularization)
    {
        ArgumentNullException.ThrowIfNull(structure);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(models);
        var heads = structure.Groups.Select(_ => new LogisticHead?[models.Count]).ToArray();
        var jobs = from g in Enumerable.Range(0, structure.Groups.Count) from m in Enumerable.Range(0, models.Count) select (g, m);
        Parallel.ForEach(jobs, job =>
        {
            var (g, m) = job;
            var rows = examples.Where((e, i) => structure.ExampleGroups[i] == g && e.Outcomes.ContainsKey(models[m].Name)).ToList();
            var y = rows.Select(e => e.Outcomes[models[m].Name].Score).ToList();
            if (rows.Count >= MinimumHeadExamples && y.Distinct().Count() > 1)
            {
                heads[g][m] = LogisticRegression.Fit([.. rows.Select(e => e.Embedding)], y, regularization);
            }
        });
        return heads;
    }

    /// <summary>
    /// Statistics, heads and threshold for a given structure. The statistics weight each example by its
    /// <see cref="TrainingExample.Weight"/>: a cell pools queries, and a logging policy that picked a model for the
    /// cell's easier queries would otherwise bias its mean. The heads are not weighted: they condition on the
    /// embedding, which is all the policy looked at, so its choices do not bias them (only shift where data is).
    /// </summary>
    public static RoutingProfile Build(
        ProfileStructure structure,
        IReadOnlyList<TrainingExample> examples,
        IReadOnlyList<ModelDescriptor> models,
        string embeddingModelId,
        TrainingOptions options,
        IReadOnlyList<LogisticHead?[]>? heads)
    {
        ArgumentNullException.ThrowIfNull(structure);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        var cells = structure.Centroids.Select(_ => new CellStats[models.Count]).ToArray();
        var groupCells = structure.Groups.Select(_ => new CellStats[models.Count]).ToArray();
        var global = new CellStats[models.Count];
        var distances = new double[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            var cluster = KMeans.Nearest(structure.Centroids, examples[i].Embedding, out distances[i]);
            var group = structure.ExampleGroups[i];
            for (var m = 0; m < models.Count; m++)
            {
                if (examples[i].Outcomes.TryGetValue(models[m].Name, out var outcome))
                {
                    var weight = examples[i].Weight;
                    cells[cluster][m] = cells[cluster][m].Add(outcome.Score, outcome.Cost, weight);
                    groupCells[group][m] = groupCells[group][m].Add(outcome.Score, outcome.Cost, weight);
                    global[m] = global[m].Add(outcome.Score, outcome.Cost, weight);
                }
            }
        }

        return new RoutingProfile
        {
            Version = options.Version,
            CreatedAt = options.CreatedAt,
            EmbeddingModelId = embeddingModelId,
            Models = models,
            Groups = structure.Groups,
            Centroids = structure.Centroids,
            CentroidGroups = structure.CentroidGroups,
            Cells = cells,
            GroupCells = groupCells,
            Global = global,
            Heads = options.Scorer.Kind == ScorerKind.GroupLogistic ? heads : null,
            Scorer = options.Scorer,
            Training = options,
            OodThreshold = Quantile(distances, options.OodQuantile) * options.OodMargin,
            FallbackModel = options.FallbackModel,
        };
    }

    private static double Quantile(double[] values, double q)
    {
        if (values.Length == 0)
        {
            return double.PositiveInfinity;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
