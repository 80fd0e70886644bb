using RouterFunctions.Core.Data;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Tests.Training;

public class ProfileTrainerTests
{
    private const double Tolerance = 1e-12;

    private static readonly ModelDescriptor[] Models = [new() { Name = "A" }, new() { Name = "B" }];

    // Centroid 0 at (0, 0) in group g0, centroid 1 at (10, 0) in group g1.
    private static readonly ProfileStructure Structure = new(["g0", "g1"], [0, 0, 1, 1, 0], [[0f, 0f], [10f, 0f]], [0, 1]);

    // Example → nearest centroid (squared distance), group:
    // e0 (0, 1) → c0 (1), g0    e1 (2, 0) → c0 (4), g0    e2 (10, 3) → c1 (9), g1 (no B)
    // e3 (10, 0) → c1 (0), g1   e4 (8, 0) → c1 (4), but labelled g0
    private static readonly TrainingExample[] Examples =
    [
        new([0f, 1f], Outcomes(("A", 1, 0.1), ("B", 0, 0.2))),
        new([2f, 0f], Outcomes(("A", 0, 0.3), ("B", 1, 0.4))),
        new([10f, 3f], Outcomes(("A", 1, 0.5))),
        new([10f, 0f], Outcomes(("A", 1, 0.7), ("B", 1, 0.6))),
        new([8f, 0f], Outcomes(("A", 0, 0.9), ("B", 0, 0.8))),
    ];

    [Fact]
    public void Build_cell_statistics_are_the_means_over_each_examples_nearest_centroid()
    {
        var profile = ProfileTrainer.Build(Structure, Examples, Models, "e", new TrainingOptions(), null);

        AssertStats(new CellStats(2, 0.5, 0.2), profile.Cells[0][0]);
        AssertStats(new CellStats(2, 0.5, 0.3), profile.Cells[0][1]);
        AssertStats(new CellStats(3, 2.0 / 3, 0.7), profile.Cells[1][0]);
        AssertStats(new CellStats(2, 0.5, 0.7), profile.Cells[1][1]);
    }

    [Fact]
    public void Build_group_statistics_follow_the_examples_groups()
    {
        var profile = ProfileTrainer.Build(Structure, Examples, Models, "e", new TrainingOptions(), null);

        AssertStats(new CellStats(3, 1.0 / 3, 1.3 / 3), profile.GroupCells[0][0]);
        AssertStats(new CellStats(3, 1.0 / 3, 1.4 / 3), profile.GroupCells[0][1]);
        AssertStats(new CellStats(2, 1.0, 0.6), profile.GroupCells[1][0]);
        AssertStats(new CellStats(1, 1.0, 0.6), profile.GroupCells[1][1]);
    }

    [Fact]
    public void Build_global_statistics_cover_every_graded_outcome()
    {
        var profile = ProfileTrainer.Build(Structure, Examples, Models, "e", new TrainingOptions(), null);

        AssertStats(new CellStats(5, 0.6, 0.5), profile.Global[0]);
        AssertStats(new CellStats(4, 0.5, 0.5), profile.Global[1]);
    }

    [Theory]
    [InlineData(0.99, 1.25, 9 * 1.25)] // ⌈4.95⌉ = 5th of [0, 1, 4, 4, 9]
    [InlineData(0.5, 1.5, 4 * 1.5)] // ⌈2.5⌉ = 3rd
    [InlineData(0.4, 1.0, 1.0)] // ⌈2⌉ = 2nd
    [InlineData(0.0, 2.0, 0.0)] // clamped to the 1st
    public void Build_sets_the_ood_threshold_to_the_distance_quantile_times_the_margin(double quantile, double margin, double expected)
    {
        var options = new TrainingOptions { OodQuantile = quantile, OodMargin = margin };

        var profile = ProfileTrainer.Build(Structure, Examples, Models, "e", options, null);

        Assert.Equal(expected, profile.OodThreshold, 1e-9);
    }

    [Fact]
    public void Build_without_examples_never_flags_out_of_distribution()
    {
        var profile = ProfileTrainer.Build(Structure with { ExampleGroups = [] }, [], Models, "e", new TrainingOptions(), null);

        Assert.Equal(double.PositiveInfinity, profile.OodThreshold);
        Assert.All(profile.Global, g => Assert.Equal(CellStats.Empty, g));
    }

    [Fact]
    public void Build_carries_the_options_and_structure_into_the_profile()
    {
        var createdAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var options = new TrainingOptions { Version = 9, CreatedAt = createdAt, FallbackModel = "B", Scorer = new ScorerSettings { TopK = 2 } };

        var profile = ProfileTrainer.Build(Structure, Examples, Models, "embedder-v1", options, null);

        Assert.Equal(9, profile.Version);
        Assert.Equal(createdAt, profile.CreatedAt);
        Assert.Equal("embedder-v1", profile.EmbeddingModelId);
        Assert.Equal("B", profile.FallbackModel);
        Assert.Equal(options.Scorer, profile.Scorer);
        Assert.Equal(Models, profile.Models);
        Assert.Equal(["g0", "g1"], profile.Groups);
        Assert.Equal([0, 1], profile.CentroidGroups);
        Assert.Same(Structure.Centroids, profile.Centroids);
    }

    [Fact]
    public void Build_keeps_heads_only_for_the_group_logistic_scorer()
    {
        LogisticHead?[][] heads = [[new LogisticHead([1f, 0f], 0), null], [null, null]];
        var logistic = new TrainingOptions { Scorer = new ScorerSettings { Kind = ScorerKind.GroupLogistic } };

        Assert.Same(heads, ProfileTrainer.Build(Structure, Examples, Models, "e", logistic, heads).Heads);
        Assert.Null(ProfileTrainer.Build(Structure, Examples, Models, "e", new TrainingOptions(), heads).Heads);
    }

    [Fact]
    public void FitHeads_fits_a_head_only_where_a_group_has_enough_mixed_grades()
    {
        // Group "big": 24 examples; "mixed" is right exactly when x₀ > 0, "always" is always right.
        // Group "small": 10 mixed examples, under the 20 a head needs.
        var examples = new List<TrainingExample>();
        for (var i = 0; i < 24; i++)
        {
            var x = (i % 2 == 0 ? 1f : -1f) * (1 + (i / 2 * 0.1f));
            examples.Add(new([x, 0.5f], Outcomes(("mixed", x > 0 ? 1 : 0, 0.01), ("always", 1, 0.02)), "big"));
        }

        for (var i = 0; i < 10; i++)
        {
            examples.Add(new([20f + (i % 2), 20f], Outcomes(("mixed", i % 2, 0.01), ("always", 1, 0.02)), "small"));
        }

        ModelDescriptor[] models = [new() { Name = "mixed" }, new() { Name = "always" }];
        var structure = ProfileStructure.Fit(examples, new TrainingOptions { ClustersPerGroup = 1 });

        var heads = ProfileTrainer.FitHeads(structure, examples, models, regularization: 1);

        var big = structure.Groups.ToList().IndexOf("big");
        var small = structure.Groups.ToList().IndexOf("small");
        var head = Assert.IsType<LogisticHead>(heads[big][0]);
        Assert.True(head.Predict([1.5f, 0.5f]) > 0.5);
        Assert.True(head.Predict([-1.5f, 0.5f]) < 0.5);
        Assert.Null(heads[big][1]);
        Assert.Null(heads[small][0]);
        Assert.Null(heads[small][1]);
    }

    [Fact]
    public void Train_with_group_logistic_builds_statistics_and_heads()
    {
        var examples = SyntheticData.Examples(30, seed: 1);
        var options = new TrainingOptions { ClustersPerGroup = 2, Scorer = new ScorerSettings { Kind = ScorerKind.GroupLogistic } };

        var profile = ProfileTrainer.Train(examples, SyntheticData.Models, "e", options);

        Assert.Equal(["easy", "hard"], profile.Groups);
        Assert.Equal(4, profile.Centroids.Count);
        Assert.Equal(60, profile.Global[0].Count);
        Assert.NotNull(profile.Heads);
        Assert.Equal(2, profile.Heads.Count);
        Assert.Contains(profile.Heads.SelectMany(h => h), h => h is not null);
    }

    [Fact]
    public void Train_with_centroid_scoring_has_no_heads()
    {
        var profile = ProfileTrainer.Train(SyntheticData.Examples(30, seed: 1), SyntheticData.Models, "e", new TrainingOptions());

        Assert.Null(profile.Heads);
    }

    [Fact]
    public void Train_makes_a_profile_that_routes_each_task_to_the_model_that_serves_it()
    {
        var examples = SyntheticData.Examples(40, seed: 2);
        var profile = ProfileTrainer.Train(examples, SyntheticData.Models, "e", new TrainingOptions { ClustersPerGroup = 1 });
        var router = new Router(profile);
        var policy = new RoutingPolicy { QualityBand = 0.2 };

        // "small" is right ~90% on the easy task near (0, 0) and ~20% on the hard one near (5, 5).
        Assert.Equal("small", router.Decide([0f, 0f], policy).Model);
        Assert.Equal("large", router.Decide([5f, 5f], policy).Model);
    }

    private static Dictionary<string, ModelOutcome> Outcomes(params (string Model, double Score, double Cost)[] outcomes) =>
        outcomes.ToDictionary(o => o.Model, o => new ModelOutcome(o.Score, o.Cost), StringComparer.Ordinal);

    private static void AssertStats(CellStats expected, CellStats actual)
    {
        Assert.Equal(expected.Count, actual.Count, Tolerance);
        Assert.Equal(expected.MeanScore, actual.MeanScore, Tolerance);
        Assert.Equal(expected.MeanCost, actual.MeanCost, Tolerance);
    }
}
