namespace RouterFunctions.Core.Training;

/// <summary>
/// The geometry of a profile: group names, each training example's group, and the fine centroids with their groups.
/// Separate from the statistics so cross-validation can reuse it across scorer settings.
/// </summary>
public sealed record ProfileStructure(IReadOnlyList<string> Groups, int[] ExampleGroups, float[][] Centroids, int[] CentroidGroups)
{
    /// <summary>
    /// Groups are the examples' tasks when <see cref="TrainingOptions.TaskGroups"/> and every example has one (and there
    /// are at least two), else coarse k-means clusters; then k-means within each group gives the fine centroids.
    /// </summary>
    public static ProfileStructure Fit(IReadOnlyList<TrainingExample> examples, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        var points = examples.Select(e => e.Embedding).ToList();
        var tasks = options.TaskGroups && HasTasks(examples)
            ? examples.Select(e => e.Task!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
            : [];
        string[] groups;
        int[] exampleGroups;
        if (tasks.Count >= 2)
        {
            groups = [.. tasks];
            exampleGroups = [.. examples.Select(e => tasks.IndexOf(e.Task!))];
        }
        else
        {
            var coarse = KMeans.Fit(points, options.Groups, new Random(options.Seed));
            groups = [.. coarse.Select((_, g) => $"cluster-{g}")];
            exampleGroups = [.. points.Select(p => KMeans.Nearest(coarse, p, out _))];
        }

        var centroids = new List<float[]>();
        var centroidGroups = new List<int>();
        for (var g = 0; g < groups.Length; g++)
        {
            var members = points.Where((_, i) => exampleGroups[i] == g).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            foreach (var centroid in KMeans.Fit(members, options.ClustersPerGroup, new Random(options.Seed + g + 1)))
            {
                centroids.Add(centroid);
                centroidGroups.Add(g);
            }
        }

        return new ProfileStructure(groups, exampleGroups, [.. centroids], [.. centroidGroups]);
    }

    public static bool HasTasks(IReadOnlyList<TrainingExample> examples) => examples.All(e => !string.IsNullOrEmpty(e.Task));
}
