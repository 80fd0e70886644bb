using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Tests.Training;

public class KMeansTests
{
    private static readonly float[][] Centers = [[0f, 0f], [10f, 10f], [-10f, 10f]];

    // Three blobs of 20 points within ±0.5 of their centres: far more separated than spread.
    private static List<float[]>[] Blobs(int seed)
    {
        var random = new Random(seed);
        return [.. Centers.Select(c => Enumerable.Range(0, 20)
            .Select(_ => new[] { c[0] + (float)(random.NextDouble() - 0.5), c[1] + (float)(random.NextDouble() - 0.5) })
            .ToList())];
    }

    private static float[] Mean(List<float[]> points) =>
        [.. Enumerable.Range(0, points[0].Length).Select(d => (float)points.Average(p => (double)p[d]))];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Fit_recovers_the_means_of_well_separated_blobs(int seed)
    {
        var blobs = Blobs(seed);
        var points = blobs.SelectMany(b => b).ToArray();
        new Random(seed).Shuffle(points);

        var centroids = KMeans.Fit(points, 3, new Random(seed));

        Assert.Equal(3, centroids.Length);
        foreach (var blob in blobs)
        {
            var mean = Mean(blob);
            var nearest = KMeans.Nearest(centroids, mean, out var distance);
            Assert.True(distance < 1e-8, $"no centroid at blob mean ({mean[0]}, {mean[1]}); nearest is {distance} away");
            Assert.All(blob, p => Assert.Equal(nearest, KMeans.Nearest(centroids, p, out _)));
        }
    }

    [Fact]
    public void Fit_is_deterministic_for_a_seed()
    {
        var points = Blobs(9).SelectMany(b => b).ToList();

        var first = KMeans.Fit(points, 5, new Random(42));
        var second = KMeans.Fit(points, 5, new Random(42));

        Assert.Equal(first.Length, second.Length);
        for (var c = 0; c < first.Length; c++)
        {
            Assert.Equal(first[c], second[c]);
        }
    }

    [Fact]
    public void Fit_clamps_k_to_the_number_of_points()
    {
        float[][] points = [[0f, 0f], [4f, 2f]];

        var centroids = KMeans.Fit(points, 5, new Random(1));

        Assert.Equal(2, centroids.Length);
        Assert.Contains(centroids, c => c.SequenceEqual(points[0]));
        Assert.Contains(centroids, c => c.SequenceEqual(points[1]));
    }

    [Fact]
    public void Fit_with_k_below_one_returns_the_mean_of_all_points()
    {
        float[][] points = [[0f, 0f], [4f, 2f], [2f, 7f]];

        var centroids = KMeans.Fit(points, 0, new Random(1));

        Assert.Equal([[2f, 3f]], centroids);
    }

    [Fact]
    public void Fit_of_identical_points_puts_every_centroid_on_them()
    {
        var points = Enumerable.Range(0, 5).Select(_ => new[] { 1f, -2f }).ToList();

        var centroids = KMeans.Fit(points, 3, new Random(1));

        Assert.All(centroids, c => Assert.Equal([1f, -2f], c));
    }

    [Fact]
    public void Fit_does_not_move_the_input_points()
    {
        var points = Blobs(3).SelectMany(b => b).ToList();
        var copy = points.Select(p => (float[])p.Clone()).ToList();

        KMeans.Fit(points, 3, new Random(3));

        Assert.Equal(copy, points);
    }

    [Fact]
    public void Fit_throws_without_points()
    {
        Assert.Throws<ArgumentException>(() => KMeans.Fit([], 2, new Random(1)));
    }

    [Fact]
    public void Nearest_returns_the_closest_centroid_and_its_squared_distance()
    {
        float[][] centroids = [[0f, 0f], [4f, 0f], [0f, 3f]];

        // Squared distances from (1, 2.5): 7.25, 15.25, 1.25.
        var nearest = KMeans.Nearest(centroids, [1f, 2.5f], out var distance);

        Assert.Equal(2, nearest);
        Assert.Equal(1.25, distance, 1e-6);
    }

    [Fact]
    public void Nearest_breaks_a_tie_toward_the_first_centroid()
    {
        float[][] centroids = [[0f, 0f], [2f, 0f]];

        Assert.Equal(0, KMeans.Nearest(centroids, [1f, 0f], out _));
    }
}
