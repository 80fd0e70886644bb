using System.Globalization;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Application.Tests;

public sealed class ProfileTrainingTests
{
    private const string EmbeddingModelId = "recording-v1";

    private static readonly string[] Tasks = ["code", "math"];

    private static readonly IReadOnlyList<ModelDescriptor> Models =
    [
        new() { Name = "cheap", InputPricePerMillion = 0.1, OutputPricePerMillion = 0.2 },
        new() { Name = "dear", InputPricePerMillion = 10, OutputPricePerMillion = 30 },
    ];

    // Two candidates: one cluster per group, top-1, and two shrinkages.
    private static readonly SearchSpace Tiny = new()
    {
        Kinds = [ScorerKind.Centroids],
        ClustersPerGroup = [1],
        TaskGroups = [true],
        TopK = [1],
        Temperatures = [0.05],
        Shrinkages = [3, 10],
        Regularizations = [0.1],
        Folds = 2,
        SweepSteps = 10,
    };

    private static readonly TrainingOptions Template = new()
    {
        Seed = 7,
        Version = 9,
        CreatedAt = new DateTimeOffset(2025, 5, 4, 3, 2, 1, TimeSpan.Zero),
    };

    /// <summary>
    /// Row i has task Tasks[i % 2] and the text "task i". Code is easy for both models, maths only for the dear one;
    /// the cheap model always costs less.
    /// </summary>
    private static List<LabeledQuery> Rows(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i =>
        {
            var task = Tasks[i % 2];
            return new LabeledQuery($"q{i}", $"{task} {i}", task, DatasetSplit.Train, new Dictionary<string, ModelOutcome>
            {
                ["cheap"] = new(task == "code" ? 1 : 0, 0.0001),
                ["dear"] = new(1, 0.01),
            });
        }),
    ];

    /// <summary>One-hot by task, plus a small per-row offset so no two rows coincide.</summary>
    private static float[] VectorFor(string text)
    {
        var parts = text.Split(' ');
        var i = int.Parse(parts[1], CultureInfo.InvariantCulture);
        return [parts[0] == "code" ? 1 : 0, parts[0] == "math" ? 1 : 0, 0.01f * (i % 7), 0];
    }

    private static Task<TrainingRun> TrainAsync(
        RecordingEmbeddingGenerator generator, IReadOnlyList<LabeledQuery> rows, List<string> messages, SearchSpace? space = null) =>
        ProfileTraining.TrainAsync(
            generator,
            EmbeddingModelId,
            rows,
            Models,
            Template,
            space ?? Tiny,
            new InlineProgress<string>(messages.Add),
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task TrainAsync_reports_embedding_cross_validation_and_the_best_setting_in_order()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var messages = new List<string>();

        var run = await TrainAsync(generator, Rows(40), messages);

        // 40 rows in the default batches of 16: 16, 32, 40 done; every batch is past the next tenth.
        var best = run.Trials[0];
        Assert.Equal(
            [
                "embedding 40 queries",
                "embedded 16/40",
                "embedded 32/40",
                "embedded 40/40",
                "choosing among 2 scorer settings by 2-fold cross-validation",
                "cross-validation fold 1/2 done",
                "cross-validation fold 2/2 done",
                $"best: {ProfileTraining.Describe(best.Options)}, cross-validated AIQ {best.CrossValidatedAiq.ToString("F4", CultureInfo.InvariantCulture)}",
                "choosing per group among the scorer, the group's means and its best model by 2-fold cross-validation",
            ],
            messages);
    }

    [Fact]
    public async Task TrainAsync_reports_embedding_progress_about_every_tenth_and_always_at_the_end()
    {
        const int Count = 400;
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var messages = new List<string>();

        await TrainAsync(generator, Rows(Count), messages);

        var done = messages.Where(m => m.StartsWith("embedded ", StringComparison.Ordinal))
            .Select(m => int.Parse(m["embedded ".Length..m.IndexOf('/', StringComparison.Ordinal)], CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(Count, done[^1]);
        Assert.All(messages.Where(m => m.StartsWith("embedded ", StringComparison.Ordinal)), m => Assert.EndsWith($"/{Count}", m, StringComparison.Ordinal));
        Assert.InRange(done.Count, 2, 11);
        Assert.Equal(done.Order(), done);
        Assert.All(done.Zip(done.Skip(1)), pair => Assert.True(pair.Second - pair.First >= Count / 10 || pair.Second == Count, $"{pair.First} then {pair.Second}"));
        Assert.True(generator.Batches.Count > done.Count, "some batches should go unreported");
    }

    [Fact]
    public async Task TrainAsync_reports_each_stage_count_through_the_stage_port_and_keeps_milestones_on_the_lines()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var lines = new List<string>();
        var stages = new List<StageProgress>();

        var run = await ProfileTraining.TrainAsync(
            generator, EmbeddingModelId, Rows(40), Models, Template, Tiny,
            new InlineProgress<string>(lines.Add), new InlineProgress<StageProgress>(stages.Add), TestContext.Current.CancellationToken);

        // Every batch of 16 is counted; each fold of the search; the final fit as one unit.
        Assert.Equal(
            [
                new(TrainingStages.Embedding, 0, 40),
                new(TrainingStages.Embedding, 16, 40),
                new(TrainingStages.Embedding, 32, 40),
                new(TrainingStages.Embedding, 40, 40),
                new(TrainingStages.CrossValidation, 0, 2),
                new(TrainingStages.CrossValidation, 1, 2),
                new(TrainingStages.CrossValidation, 2, 2),
                new(TrainingStages.Fitting, 0, 1),
                new StageProgress(TrainingStages.Fitting, 1, 1),
            ],
            stages);
        Assert.Equal(
            [
                "embedding 40 queries",
                "choosing among 2 scorer settings by 2-fold cross-validation",
                $"best: {ProfileTraining.Describe(run.Trials[0].Options)}, cross-validated AIQ {run.Trials[0].CrossValidatedAiq.ToString("F4", CultureInfo.InvariantCulture)}",
                "choosing per group among the scorer, the group's means and its best model by 2-fold cross-validation",
            ],
            lines);
    }

    [Fact]
    public async Task TrainAsync_embeds_every_row_text_in_order_with_the_given_generator()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var rows = Rows(20);

        await TrainAsync(generator, rows, []);

        Assert.Equal(rows.Select(r => r.Text), generator.Batches.SelectMany(b => b));
    }

    [Fact]
    public async Task TrainAsync_trains_the_profile_with_the_best_trial_and_records_it_in_the_notes()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var rows = Rows(40);

        var run = await TrainAsync(generator, rows, []);

        var best = run.Trials[0];
        var profile = run.Profile;
        Assert.Equal(2, run.Trials.Count);
        Assert.Equal(run.Trials.Select(t => t.CrossValidatedAiq).OrderDescending(), run.Trials.Select(t => t.CrossValidatedAiq));
        Assert.Equal(best.Options.Scorer, profile.Scorer);
        Assert.Equal(EmbeddingModelId, profile.EmbeddingModelId);
        Assert.Equal(Models, profile.Models);
        Assert.Equal(Tasks, profile.Groups);
        Assert.Equal(VectorFor(rows[0].Text).Length, profile.Dimensions);
        Assert.Equal(Tasks.Length * best.Options.ClustersPerGroup, profile.Centroids.Count);
        Assert.Equal(Template.Version, profile.Version);
        Assert.Equal(Template.CreatedAt, profile.CreatedAt);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["trainedOn"] = rows.Count.ToString(CultureInfo.InvariantCulture),
                ["seed"] = Template.Seed.ToString(CultureInfo.InvariantCulture),
                ["crossValidatedAiq"] = best.CrossValidatedAiq.ToString("F4", CultureInfo.InvariantCulture),
                ["scorer"] = ProfileTraining.Describe(best.Options),
            },
            profile.Notes);
    }

    [Fact]
    public async Task TrainAsync_chooses_a_mode_per_group_and_stores_it_in_the_profile()
    {
        var run = await TrainAsync(new RecordingEmbeddingGenerator(VectorFor), Rows(40), []);

        Assert.Equal(run.Profile.Groups, run.Groups.Select(g => g.Group));
        Assert.Equal(run.Groups.Select(g => g.Chosen), run.Profile.GroupModes);
        Assert.Equal(40, run.Groups.Sum(g => g.Examples));
    }

    [Fact]
    public async Task TrainAsync_returns_the_embedded_examples_row_by_row()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var rows = Rows(20);

        var run = await TrainAsync(generator, rows, []);

        Assert.Equal(rows.Count, run.Examples.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(VectorFor(rows[i].Text), run.Examples[i].Embedding);
            Assert.Equal(rows[i].Results, run.Examples[i].Outcomes);
            Assert.Equal(rows[i].Task, run.Examples[i].Task);
        }
    }

    [Fact]
    public async Task TrainAsync_learns_which_model_each_task_needs()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);

        var run = await TrainAsync(generator, Rows(40), []);
        var router = new Core.Routing.Router(run.Profile);

        // Half weight on cost: maths is worth the dear model (1 - 0.5 > 0), code is not (1 - 0.5 < 1 - 0).
        var balanced = new Core.Routing.RoutingPolicy { CostWeight = 0.5 };
        Assert.Equal("dear", router.Decide(VectorFor("math 1"), balanced).Model);
        Assert.Equal("cheap", router.Decide(VectorFor("code 2"), balanced).Model);
    }

    [Fact]
    public async Task TrainAsync_rejects_fewer_rows_than_two_per_fold_before_embedding_anything()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var messages = new List<string>();
        var rows = Rows((Tiny.Folds * 2) - 1);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => TrainAsync(generator, rows, messages));

        Assert.Equal("rows", error.ParamName);
        Assert.Contains($"at least {Tiny.Folds * 2}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"got {rows.Count}", error.Message, StringComparison.Ordinal);
        Assert.Empty(generator.Batches);
        Assert.Empty(messages);
    }

    [Fact]
    public async Task TrainAsync_accepts_exactly_two_rows_per_fold()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var rows = Rows(Tiny.Folds * 2);

        var run = await TrainAsync(generator, rows, []);

        Assert.Equal(rows.Count.ToString(CultureInfo.InvariantCulture), run.Profile.Notes["trainedOn"]);
    }

    [Fact]
    public async Task TrainAsync_stops_when_cancelled()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProfileTraining.TrainAsync(
            generator, EmbeddingModelId, Rows(40), Models, Template, Tiny, new InlineProgress<string>(_ => { }), cancelled.Token));
    }

    [Fact]
    public void Describe_names_the_centroid_scorers_settings_without_a_regularisation()
    {
        var options = new TrainingOptions
        {
            ClustersPerGroup = 2,
            Scorer = new ScorerSettings { Kind = ScorerKind.Centroids, TopK = 3, Temperature = 0.05, Shrinkage = 10, Regularization = 0.3 },
        };

        Assert.Equal("Centroids (groups=tasks, clusters/group=2, topK=3, tau=0.05, shrinkage=10)", ProfileTraining.Describe(options));
    }

    [Fact]
    public void Describe_adds_the_regularisation_of_logistic_heads_in_the_invariant_culture()
    {
        var options = new TrainingOptions
        {
            TaskGroups = false,
            ClustersPerGroup = 8,
            Scorer = new ScorerSettings { Kind = ScorerKind.GroupLogistic, TopK = 1, Temperature = 0.1, Shrinkage = 2.5, Regularization = 0.03 },
        };
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Assert.Equal("GroupLogistic (groups=clusters, clusters/group=8, topK=1, tau=0.1, shrinkage=2.5, C=0.03)", ProfileTraining.Describe(options));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
