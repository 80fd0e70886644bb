using System.Globalization;
using Microsoft.Extensions.AI;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Application;

/// <summary>The trained profile, every cross-validation trial, and the embedded examples (the seed for retraining).</summary>
public sealed record TrainingRun(RoutingProfile Profile, IReadOnlyList<SearchTrial> Trials, IReadOnlyList<TrainingExample> Examples)
{
    /// <summary>Per group, the cross-validated AIQ of the scorer, the group's means and its best model, and the mode kept.</summary>
    public IReadOnlyList<GroupFallbackRow> Groups { get; init; } = [];
}

/// <summary>Embeds graded queries, chooses scorer settings by cross-validation, and trains the profile on all of them.</summary>
public static class ProfileTraining
{
    /// <summary>Trains, reporting milestones and "embedded n/N" / "fold f/F done" lines to <paramref name="progress"/>.</summary>
    public static Task<TrainingRun> TrainAsync(
        IEmbeddingGenerator<string, Embedding<float>> embedder,
        string embeddingModelId,
        IReadOnlyList<LabeledQuery> rows,
        IReadOnlyList<ModelDescriptor> models,
        TrainingOptions template,
        SearchSpace space,
        IProgress<string> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return TrainAsync(embedder, embeddingModelId, rows, models, template, space, progress, new TrainingProgressLines(progress), cancellationToken);
    }

    /// <summary>
    /// Trains, reporting milestones (what is being done, the chosen setting) to <paramref name="progress"/> and counts
    /// per stage (<see cref="TrainingStages"/>) to <paramref name="stages"/>, for a host that draws progress bars.
    /// </summary>
    public static async Task<TrainingRun> TrainAsync(
        IEmbeddingGenerator<string, Embedding<float>> embedder,
        string embeddingModelId,
        IReadOnlyList<LabeledQuery> rows,
        IReadOnlyList<ModelDescriptor> models,
        TrainingOptions template,
        SearchSpace space,
        IProgress<string> progress,
        IProgress<StageProgress> stages,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(stages);
        if (rows.Count < space.Folds * 2)
        {
            throw new ArgumentException($"Training needs at least {space.Folds * 2} graded queries; got {rows.Count}.", nameof(rows));
        }

        progress.Report($"embedding {rows.Count} queries");
        stages.Report(new StageProgress(TrainingStages.Embedding, 0, rows.Count));
        var vectors = await embedder.EmbedAllAsync(
            [.. rows.Select(r => r.Text)],
            new InlineProgress<int>(done => stages.Report(new StageProgress(TrainingStages.Embedding, done, rows.Count))),
            cancellationToken: cancellationToken);
        var examples = rows.Select((r, i) => new TrainingExample(vectors[i], r.Results, r.Task)).ToList();

        var candidates = space.Candidates(template).Count();
        progress.Report($"choosing among {candidates} scorer settings by {space.Folds}-fold cross-validation");
        stages.Report(new StageProgress(TrainingStages.CrossValidation, 0, space.Folds));
        var foldsDone = 0;

        // The search reports one line per finished fold; counted here, so its own wording stays the search's business.
        var trials = ScorerSearch.Run(examples, models, template, space, new InlineProgress<string>(_ =>
            stages.Report(new StageProgress(TrainingStages.CrossValidation, ++foldsDone, space.Folds))));
        var best = trials[0];
        progress.Report($"best: {Describe(best.Options)}, cross-validated AIQ {best.CrossValidatedAiq:F4}");
        progress.Report($"choosing per group among the scorer, the group's means and its best model by {space.Folds}-fold cross-validation");
        var groups = GroupFallback.Choose(examples, models, best.Options, space);
        stages.Report(new StageProgress(TrainingStages.Fitting, 0, 1));
        var trained = ProfileTrainer.Train(examples, models, embeddingModelId, best.Options);
        stages.Report(new StageProgress(TrainingStages.Fitting, 1, 1));
        var profile = trained with
        {
            // By name: the rows come from the same deterministic structure, but a group the rows lack stays on the scorer.
            GroupModes = [.. trained.Groups.Select(n => groups.FirstOrDefault(r => string.Equals(r.Group, n, StringComparison.Ordinal))?.Chosen ?? GroupMode.Scorer)],
            Notes = new Dictionary<string, string>
            {
                ["trainedOn"] = rows.Count.ToString(CultureInfo.InvariantCulture),
                ["seed"] = template.Seed.ToString(CultureInfo.InvariantCulture),
                ["crossValidatedAiq"] = best.CrossValidatedAiq.ToString("F4", CultureInfo.InvariantCulture),
                ["scorer"] = Describe(best.Options),
            },
        };
        return new TrainingRun(profile, trials, examples) { Groups = groups };
    }

    public static string Describe(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = options.Scorer;
        var head = s.Kind == ScorerKind.GroupLogistic ? FormattableString.Invariant($", C={s.Regularization}") : "";
        return FormattableString.Invariant($"{s.Kind} (groups={(options.TaskGroups ? "tasks" : "clusters")}, clusters/group={options.ClustersPerGroup}, topK={s.TopK}, tau={s.Temperature}, shrinkage={s.Shrinkage}{head})");
    }
}
