namespace RouterFunctions.Core.Training;

/// <summary>k-means++ seeding then Lloyd iterations, deterministic for a given <see cref="Random"/> seed.</summary>
public static class KMeans
{
    public static float[][] Fit(IReadOnlyList<float[]> points, int k, Random random, int maxIterations = 50)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(random);
        if (points.Count == 0)
        {
            throw new ArgumentException("k-means needs at least one point.", nameof(points));
        }

        k = Math.Clamp(k, 1, points.Count);
        var centroids = Seed(points, k, random);
        var assignment = new int[points.Count];
        Array.Fill(assignment, -1);
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var changed = Assign(points, centroids, assignment);
            Update(points, centroids, assignment, random);
            if (changed == 0)
            {
                break;
            }
        }

        return centroids;
    }

    public static int Nearest(IReadOnlyList<float[]> centroids, ReadOnlySpan<float> point, out double distance)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        var best = 0;
        distance = double.PositiveInfinity;
        for (var c = 0; c < centroids.Count; c++)
        {
            double d = VectorMath.SquaredDistance(point, centroids[c]);
            if (d < distance)
            {
                distance = d;
                best = c;
            }
        }

        return best;
    }

    private static float[][] Seed(IReadOnlyList<float[]> points, int k, Random random)
    {
        var centroids = new float[k][];
        centroids[0] = (float[])points[random.Next(points.Count)].Clone();
        var distance = new double[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            distance[i] = VectorMath.SquaredDistance(points[i], centroids[0]);
        }

        for (var c = 1; c < k; c++)
        {
            var total = distance.Sum();
            var target = random.NextDouble() * total;
            var chosen = points.Count - 1;
            for (var i = 0; i < points.Count; i++)
            {
                target -= distance[i];
                if (target <= 0)
                {
                    chosen = i;
                    break;
                }
            }

            centroids[c] = (float[])points[chosen].Clone();
            for (var i = 0; i < points.Count; i++)
            {
                distance[i] = Math.Min(distance[i], VectorMath.SquaredDistance(points[i], centroids[c]));
            }
        }

        return centroids;
    }

    private static int Assign(IReadOnlyList<float[]> points, float[][] centroids, int[] assignment)
    {
        var changed = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var nearest = Nearest(centroids, points[i], out _);
            if (nearest != assignment[i])
            {
                assignment[i] = nearest;
                changed++;
            }
        }

        return changed;
    }

    private static void Update(IReadOnlyList<float[]> points, float[][] centroids, int[] assignment, Random random)
    {
        var dimensions = points[0].Length;
        var sums = new double[centroids.Length, dimensions];
        var counts = new int[centroids.Length];
        for (var i = 0; i < points.Count; i++)
        {
            counts[assignment[i]]++;
            for (var d = 0; d < dimensions; d++)
            {
                sums[assignment[i], d] += points[i][d];
            }
        }

        for (var c = 0; c < centroids.Length; c++)
        {
            if (counts[c] == 0)
            {
                // An emptied cluster restarts at a random point rather than dying.
                centroids[c] = (float[])points[random.Next(points.Count)].Clone();
                continue;
            }

            for (var d = 0; d < dimensions; d++)
            {
                centroids[c][d] = (float)(sums[c, d] / counts[c]);
            }
        }
    }
}
