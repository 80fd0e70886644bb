using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Tests.Routing;

public class QualityEstimatorTests
{
    private const double Tolerance = 1e-9;

    private static readonly ModelDescriptor ModelA = new() { Name = "a" };

    // One centroid at the origin in one group; a single model; the given cell, group and global statistics.
    private static RoutingProfile OneCell(CellStats cell, CellStats group, CellStats global, double shrinkage, ModelDescriptor? model = null) => new()
    {
        EmbeddingModelId = "test",
        Models = [model ?? ModelA],
        Groups = ["g"],
        Centroids = [[0f, 0f]],
        CentroidGroups = [0],
        Cells = [[cell]],
        GroupCells = [[group]],
        Global = [global],
        Scorer = new ScorerSettings { TopK = 1, Shrinkage = shrinkage },
    };

    [Fact]
    public void Estimate_shrinks_the_cell_toward_the_group_and_the_group_toward_the_global_mean()
    {
        // Group: (2·1.0 + 2·0.5) / 4 = 0.75, cost (2·3 + 2·1) / 4 = 2.
        // Cell: (2·0.0 + 2·0.75) / 4 = 0.375, cost (2·5 + 2·2) / 4 = 3.5.
        var profile = OneCell(new CellStats(2, 0.0, 5.0), new CellStats(2, 1.0, 3.0), new CellStats(10, 0.5, 1.0), shrinkage: 2);

        var estimate = new QualityEstimator(profile).Estimate([0f, 0f]);

        Assert.Equal(0.375, estimate.Quality[0], Tolerance);
        Assert.Equal(3.5, estimate.Cost[0], Tolerance);
    }

    [Fact]
    public void Estimate_of_an_empty_cell_is_its_shrunk_group()
    {
        var profile = OneCell(CellStats.Empty, new CellStats(2, 1.0, 3.0), new CellStats(10, 0.5, 1.0), shrinkage: 2);

        var estimate = new QualityEstimator(profile).Estimate([0f, 0f]);

        Assert.Equal(0.75, estimate.Quality[0], Tolerance);
        Assert.Equal(2.0, estimate.Cost[0], Tolerance);
    }

    [Fact]
    public void Estimate_of_an_empty_cell_and_group_is_the_global_mean()
    {
        var profile = OneCell(CellStats.Empty, CellStats.Empty, new CellStats(10, 0.25, 0.004), shrinkage: 2);

        var estimate = new QualityEstimator(profile).Estimate([0f, 0f]);

        Assert.Equal(0.25, estimate.Quality[0], Tolerance);
        Assert.Equal(0.004, estimate.Cost[0], Tolerance);
    }

    [Fact]
    public void Estimate_without_shrinkage_is_the_raw_cell_mean()
    {
        var profile = OneCell(new CellStats(1, 0.0, 5.0), new CellStats(50, 1.0, 3.0), new CellStats(100, 0.5, 1.0), shrinkage: 0);

        var estimate = new QualityEstimator(profile).Estimate([0f, 0f]);

        Assert.Equal(0.0, estimate.Quality[0], Tolerance);
        Assert.Equal(5.0, estimate.Cost[0], Tolerance);
    }

    [Fact]
    public void Estimate_for_a_model_without_statistics_is_its_descriptor_prior()
    {
        var model = new ModelDescriptor { Name = "new", PriorQuality = 0.7, PriorCost = 0.002 };
        var profile = OneCell(CellStats.Empty, CellStats.Empty, CellStats.Empty, shrinkage: 10, model);

        var estimate = new QualityEstimator(profile).Estimate([0f, 0f]);

        Assert.Equal(0.7, estimate.Quality[0], Tolerance);
        Assert.Equal(0.002, estimate.Cost[0], Tolerance);
    }

    [Fact]
    public void Estimate_for_a_model_without_statistics_or_prior_uses_one_half_and_the_price_estimate()
    {
        // 500 input tokens at $2/M and 200 output tokens at $10/M: 0.001 + 0.002.
        var model = new ModelDescriptor { Name = "new", InputPricePerMillion = 2, OutputPricePerMillion = 10 };
        var profile = OneCell(CellStats.Empty, CellStats.Empty, CellStats.Empty, shrinkage: 10, model);

        var estimate = new QualityEstimator(profile).Estimate([0f, 0f]);

        Assert.Equal(0.5, estimate.Quality[0], Tolerance);
        Assert.Equal(0.003, estimate.Cost[0], Tolerance);
    }

    [Fact]
    public void Estimate_shrinks_a_cell_toward_the_prior_when_the_model_has_no_global_statistics()
    {
        // Group → prior (0.5, 0.002). Cell: (2·1 + 2·0.5) / 4 = 0.75; cost (2·0.01 + 2·0.002) / 4 = 0.006.
        var model = new ModelDescriptor { Name = "new", PriorQuality = 0.5, PriorCost = 0.002 };
        var profile = OneCell(new CellStats(2, 1.0, 0.01), CellStats.Empty, CellStats.Empty, shrinkage: 2, model);

        var estimate = new QualityEstimator(profile).Estimate([0f, 0f]);

        Assert.Equal(0.75, estimate.Quality[0], Tolerance);
        Assert.Equal(0.006, estimate.Cost[0], Tolerance);
    }

    [Fact]
    public void Estimate_treats_a_model_missing_from_the_statistics_rows_as_cold()
    {
        // Rows cover only the first model: the second was added after training.
        var profile = OneCell(new CellStats(4, 1.0, 0.01), new CellStats(4, 1.0, 0.01), new CellStats(4, 1.0, 0.01), shrinkage: 1) with
        {
            Models = [ModelA, new ModelDescriptor { Name = "added", PriorQuality = 0.6, PriorCost = 0.05 }],
        };

        var estimate = new QualityEstimator(profile).Estimate([0f, 0f]);

        Assert.Equal(0.6, estimate.Quality[1], Tolerance);
        Assert.Equal(0.05, estimate.Cost[1], Tolerance);
    }

    [Fact]
    public void CostScale_spans_the_models_global_mean_costs()
    {
        var profile = TwoCentroids(topK: 1) with
        {
            Models = [ModelA, new ModelDescriptor { Name = "b" }],
            Global = [new CellStats(1, 0.5, 0.001), new CellStats(1, 0.5, 0.1)],
        };

        Assert.Equal(new CostScale(0.001, 0.1), new QualityEstimator(profile).CostScale);
    }

    [Fact]
    public void Estimate_weights_the_top_k_centroids_by_a_softmax_of_squared_distance()
    {
        // Query (1, 0): squared distances 1 to centroid 0 and 4 to centroid 1. Temperature 0.5:
        // weights ∝ exp(0) and exp(−3 / 0.5). Model a scores 1 in cluster 0 and 0 in cluster 1.
        var estimate = new QualityEstimator(TwoCentroids(topK: 2)).Estimate([1f, 0f]);

        var near = 1 / (1 + Math.Exp(-6));
        Assert.Equal([0, 1], estimate.Clusters.Select(c => c.Cluster));
        Assert.Equal(near, estimate.Clusters[0].Weight, Tolerance);
        Assert.Equal(1 - near, estimate.Clusters[1].Weight, Tolerance);
        Assert.Equal(1, estimate.Clusters.Sum(c => c.Weight), Tolerance);
        Assert.Equal(near, estimate.Quality[0], Tolerance);
        Assert.Equal((near * 0.01) + ((1 - near) * 0.03), estimate.Cost[0], Tolerance);
        Assert.Equal(1, estimate.NearestDistance, Tolerance);
        Assert.Equal(0, estimate.NearestCluster);
    }

    [Fact]
    public void Estimate_orders_clusters_nearest_first_and_gives_the_nearer_more_weight()
    {
        var estimate = new QualityEstimator(TwoCentroids(topK: 2)).Estimate([2.5f, 0f]);

        Assert.Equal(1, estimate.NearestCluster);
        Assert.Equal(0.25, estimate.NearestDistance, Tolerance);
        Assert.True(estimate.Clusters[0].Weight > estimate.Clusters[1].Weight);
    }

    [Fact]
    public void Estimate_weights_always_sum_to_one()
    {
        var random = new Random(5);
        var estimator = new QualityEstimator(TwoCentroids(topK: 5) with
        {
            Centroids = [[0f, 0f], [3f, 0f], [0f, 3f], [-2f, 1f]],
            CentroidGroups = [0, 0, 0, 0],
            Cells = [[CellStats.Empty], [CellStats.Empty], [CellStats.Empty], [CellStats.Empty]],
        });

        for (var i = 0; i < 100; i++)
        {
            var estimate = estimator.Estimate([(float)(random.NextDouble() * 8) - 4, (float)(random.NextDouble() * 8) - 4]);

            Assert.Equal(4, estimate.Clusters.Length);
            Assert.Equal(1, estimate.Clusters.Sum(c => c.Weight), 1e-12);
            Assert.Equal(estimate.Clusters.OrderByDescending(c => c.Weight).Select(c => c.Cluster), estimate.Clusters.Select(c => c.Cluster));
        }
    }

    [Fact]
    public void Estimate_breaks_a_distance_tie_toward_the_first_centroid_as_training_does()
    {
        // (1.5, 0) is 2.25 from both centroids; KMeans.Nearest, which assigns training examples to cells, keeps the first.
        var estimate = new QualityEstimator(TwoCentroids(topK: 1)).Estimate([1.5f, 0f]);

        Assert.Equal(0, estimate.NearestCluster);
        Assert.Equal(0, KMeans.Nearest(TwoCentroids(topK: 1).Centroids, [1.5f, 0f], out _));
        Assert.Equal(1, estimate.Quality[0], Tolerance);
    }

    [Fact]
    public void Estimate_with_top_one_uses_only_the_nearest_centroid()
    {
        var estimate = new QualityEstimator(TwoCentroids(topK: 1)).Estimate([1f, 0f]);

        Assert.Equal([new ClusterWeight(0, 1)], estimate.Clusters);
        Assert.Equal(1, estimate.Quality[0], Tolerance);
    }

    [Fact]
    public void Estimate_with_group_logistic_takes_quality_from_the_nearest_groups_head()
    {
        // Centroid 0 is in group 0 (head: σ(x₀)), centroid 1 in group 1 (head: σ(−x₀ + 1)). Model b has no heads.
        var profile = TwoCentroids(topK: 1) with
        {
            Models = [ModelA, new ModelDescriptor { Name = "b" }],
            Groups = ["g0", "g1"],
            CentroidGroups = [0, 1],
            Cells = [[new CellStats(1, 1, 0.01), new CellStats(1, 0.25, 0.01)], [new CellStats(1, 0, 0.03), new CellStats(1, 0.75, 0.03)]],
            GroupCells = [[CellStats.Empty, CellStats.Empty], [CellStats.Empty, CellStats.Empty]],
            Global = [CellStats.Empty, CellStats.Empty],
            Scorer = new ScorerSettings { Kind = ScorerKind.GroupLogistic, TopK = 1, Shrinkage = 0 },
            Heads = [[new LogisticHead([1f, 0f], 0), null], [new LogisticHead([-1f, 0f], 1), null]],
        };
        var estimator = new QualityEstimator(profile);

        var near0 = estimator.Estimate([1f, 0f]);
        var near1 = estimator.Estimate([2.5f, 0f]);

        Assert.Equal(1 / (1 + Math.Exp(-1)), near0.Quality[0], Tolerance);
        Assert.Equal(0.25, near0.Quality[1], Tolerance);
        Assert.Equal(1 / (1 + Math.Exp(1.5)), near1.Quality[0], Tolerance);
        Assert.Equal(0.75, near1.Quality[1], Tolerance);
        Assert.Equal(0.01, near0.Cost[0], Tolerance);
    }

    [Fact]
    public void Estimate_with_centroid_scoring_ignores_heads()
    {
        var profile = TwoCentroids(topK: 1) with { Heads = [[new LogisticHead([1f, 0f], 5)]] };

        Assert.Equal(1, new QualityEstimator(profile).Estimate([1f, 0f]).Quality[0], Tolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Estimate_throws_on_an_embedding_of_the_wrong_dimension(int dimensions)
    {
        var estimator = new QualityEstimator(TwoCentroids(topK: 1));

        Assert.Throws<ArgumentException>(() => estimator.Estimate(new float[dimensions]));
    }

    [Fact]
    public void Constructor_rejects_a_profile_without_centroids_or_with_mismatched_rows()
    {
        var good = TwoCentroids(topK: 1);

        Assert.Throws<ArgumentException>(() => new QualityEstimator(good with { Centroids = [], Cells = [], CentroidGroups = [] }));
        Assert.Throws<ArgumentException>(() => new QualityEstimator(good with { Cells = [good.Cells[0]] }));
        Assert.Throws<ArgumentException>(() => new QualityEstimator(good with { CentroidGroups = [0] }));
    }

    // Centroids (0, 0) and (3, 0) in one group, temperature 0.5, no shrinkage. Model a: cluster 0 scores 1 at
    // cost 0.01, cluster 1 scores 0 at cost 0.03.
    private static RoutingProfile TwoCentroids(int topK) => new()
    {
        EmbeddingModelId = "test",
        Models = [ModelA],
        Groups = ["g"],
        Centroids = [[0f, 0f], [3f, 0f]],
        CentroidGroups = [0, 0],
        Cells = [[new CellStats(1, 1, 0.01)], [new CellStats(1, 0, 0.03)]],
        GroupCells = [[new CellStats(2, 0.5, 0.02)]],
        Global = [new CellStats(2, 0.5, 0.02)],
        Scorer = new ScorerSettings { TopK = topK, Temperature = 0.5, Shrinkage = 0 },
    };
}
