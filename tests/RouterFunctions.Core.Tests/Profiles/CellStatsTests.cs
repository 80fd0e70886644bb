using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Tests.Profiles;

public class CellStatsTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Empty_has_no_observations()
    {
        Assert.Equal(new CellStats(0, 0, 0), CellStats.Empty);
    }

    [Fact]
    public void Add_keeps_running_means()
    {
        var stats = CellStats.Empty.Add(1, 2).Add(0, 4).Add(1, 6);

        Assert.Equal(3, stats.Count);
        Assert.Equal(2.0 / 3, stats.MeanScore, Tolerance);
        Assert.Equal(4, stats.MeanCost, Tolerance);
    }

    [Fact]
    public void Add_weights_each_observation()
    {
        // (3·1 + 1·0) / 4 and (3·10 + 1·20) / 4.
        var stats = CellStats.Empty.Add(1, 10, weight: 3).Add(0, 20, weight: 1);

        Assert.Equal(4, stats.Count);
        Assert.Equal(0.75, stats.MeanScore, Tolerance);
        Assert.Equal(12.5, stats.MeanCost, Tolerance);
    }

    [Fact]
    public void Add_with_zero_weight_to_an_empty_cell_changes_nothing()
    {
        Assert.Equal(CellStats.Empty, CellStats.Empty.Add(1, 5, weight: 0));
    }

    [Fact]
    public void Add_matches_the_batch_mean_of_random_observations()
    {
        var random = new Random(2);
        var observations = Enumerable.Range(0, 1000).Select(_ => (Score: (double)random.Next(2), Cost: random.NextDouble())).ToList();

        var stats = observations.Aggregate(CellStats.Empty, (s, o) => s.Add(o.Score, o.Cost));

        Assert.Equal(1000, stats.Count);
        Assert.Equal(observations.Average(o => o.Score), stats.MeanScore, 1e-9);
        Assert.Equal(observations.Average(o => o.Cost), stats.MeanCost, 1e-9);
    }
}
