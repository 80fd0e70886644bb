using System.Globalization;
using Microsoft.Extensions.AI;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Application;

/// <summary>The trained profile, every cross-validation trial, and the embedded examples (the seed for retraining).</summary>
public sealed record TrainingRun(RoutingProfile Profile, IReadOnlyList<SearchTrial> Trials, IReadOnlyList<TrainingExample> Examples);

/// <summary>Embeds graded queries, chooses scorer settings by cross-validation, and trains the profile on all of them.</summary>
public static class ProfileTraining
{
    public static async Task<TrainingRun> TrainAsync(
        IEmbeddingGenerator<string, Embedding<float>> embedder,
        string embeddingModelId,
        IReadOnlyList<LabeledQuery> rows,
        IReadOnlyList<ModelDescriptor> models,
        TrainingOptions template,
        SearchSpace space,
        IProgress<string> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(progress);
        if (rows.Count < space.Folds * 2)
        {
            throw new ArgumentException($"Training needs at least {space.Folds * 2} graded queries; got {rows.Count}.", nameof(rows));
        }

        progress.Report($"embedding {rows.Count} queries");
        var step = Math.Max(rows.Count / 10, 1);
        var nextReport = step;
        var vectors = await embedder.EmbedAllAsync(
            [.. rows.Select(r => r.Text)],
            new InlineProgress<int>(done =>
            {
                if (done >= nextReport || done == rows.Count)
                {
                    progress.Report($"embedded {done}/{rows.Count}");
                    nextReport = done + step;
                }
            }),
            cancellationToken: cancellationToken);
        var examples = rows.Select((r, i) => new TrainingExample(vectors[i], r.Results, r.Task)).ToList();

        var candidates = space.Candidates(template).Count();
        progress.Report($"choosing among {candidates} scorer settings by {space.Folds}-fold cross-validation");
        var trials = ScorerSearch.Run(examples, models, template, space, progress);
        var best = trials[0];
        progress.Report($"best: {Describe(best.Options)}, cross-validated AIQ {best.CrossValidatedAiq:F4}");
        var profile = ProfileTrainer.Train(examples, models, embeddingModelId, best.Options) with
        {
            Notes = new Dictionary<string, string>
            {
                ["trainedOn"] = rows.Count.ToString(CultureInfo.InvariantCulture),
                ["seed"] = template.Seed.ToString(CultureInfo.InvariantCulture),
                ["crossValidatedAiq"] = best.CrossValidatedAiq.ToString("F4", CultureInfo.InvariantCulture),
                ["scorer"] = Describe(best.Options),
            },
        };
        return new TrainingRun(profile, trials, examples);
    }

    public static string Describe(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = options.Scorer;
        var head = s.Kind == ScorerKind.GroupLogistic ? FormattableString.Invariant($", C={s.Regularization}") : "";
        return FormattableString.Invariant($"{s.Kind} (clusters/group={options.ClustersPerGroup}, topK={s.TopK}, tau={s.Temperature}, shrinkage={s.Shrinkage}{head})");
    }
}
