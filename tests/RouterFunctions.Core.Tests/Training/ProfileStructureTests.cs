using RouterFunctions.Core.Data;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Tests.Training;

public class ProfileStructureTests
{
    private static readonly Dictionary<string, ModelOutcome> NoOutcomes = [];

    private static TrainingExample Example(float x, float y, string? task) => new([x, y], NoOutcomes, task);

    [Fact]
    public void Fit_uses_the_tasks_as_groups_when_every_example_has_one()
    {
        TrainingExample[] examples = [Example(0, 0, "beta"), Example(10, 0, "alpha"), Example(2, 0, "beta"), Example(10, 4, "alpha")];

        var structure = ProfileStructure.Fit(examples, new TrainingOptions { ClustersPerGroup = 1 });

        Assert.Equal(["alpha", "beta"], structure.Groups);
        Assert.Equal([1, 0, 1, 0], structure.ExampleGroups);

        // One cluster per group: its centroid is the group's mean.
        Assert.Equal([0, 1], structure.CentroidGroups);
        Assert.Equal([10f, 2f], structure.Centroids[0]);
        Assert.Equal([1f, 0f], structure.Centroids[1]);
    }

    [Fact]
    public void Fit_uses_coarse_clusters_despite_tasks_when_told_not_to_group_by_them()
    {
        // Tasks cut across the two obvious clusters.
        TrainingExample[] examples = [Example(0, 0, "a"), Example(0, 1, "b"), Example(20, 0, "a"), Example(20, 1, "b")];

        var structure = ProfileStructure.Fit(examples, new TrainingOptions { TaskGroups = false, Groups = 2, ClustersPerGroup = 1 });

        Assert.Equal(["cluster-0", "cluster-1"], structure.Groups);
        Assert.Equal(structure.ExampleGroups[0], structure.ExampleGroups[1]);
        Assert.Equal(structure.ExampleGroups[2], structure.ExampleGroups[3]);
        Assert.NotEqual(structure.ExampleGroups[0], structure.ExampleGroups[2]);
    }

    [Fact]
    public void Fit_clusters_within_each_group_up_to_its_size()
    {
        TrainingExample[] examples = [Example(0, 0, "a"), Example(0, 6, "a"), Example(9, 9, "b")];

        var structure = ProfileStructure.Fit(examples, new TrainingOptions { ClustersPerGroup = 4 });

        Assert.Equal([0, 0, 1], structure.CentroidGroups);
        Assert.Contains(structure.Centroids.Take(2), c => c.SequenceEqual([0f, 0f]));
        Assert.Contains(structure.Centroids.Take(2), c => c.SequenceEqual([0f, 6f]));
        Assert.Equal([9f, 9f], structure.Centroids[2]);
    }

    [Fact]
    public void Fit_uses_coarse_clusters_as_groups_when_an_example_has_no_task()
    {
        // Two far-apart pairs; one example lacks a task, so tasks cannot serve.
        TrainingExample[] examples = [Example(0, 0, "t"), Example(20, 20, "t"), Example(0, 1, null), Example(20, 21, "u")];

        var structure = ProfileStructure.Fit(examples, new TrainingOptions { Groups = 2, ClustersPerGroup = 1 });

        Assert.Equal(["cluster-0", "cluster-1"], structure.Groups);
        Assert.Equal(structure.ExampleGroups[0], structure.ExampleGroups[2]);
        Assert.Equal(structure.ExampleGroups[1], structure.ExampleGroups[3]);
        Assert.NotEqual(structure.ExampleGroups[0], structure.ExampleGroups[1]);
        var nearGroup = structure.ExampleGroups[0];
        Assert.Equal([0f, 0.5f], structure.Centroids[structure.CentroidGroups.ToList().IndexOf(nearGroup)]);
    }

    [Fact]
    public void Fit_uses_coarse_clusters_when_every_example_has_the_same_task()
    {
        TrainingExample[] examples = [Example(0, 0, "only"), Example(20, 20, "only"), Example(0, 1, "only")];

        var structure = ProfileStructure.Fit(examples, new TrainingOptions { Groups = 2, ClustersPerGroup = 1 });

        Assert.Equal(["cluster-0", "cluster-1"], structure.Groups);
        Assert.Equal(structure.ExampleGroups[0], structure.ExampleGroups[2]);
        Assert.NotEqual(structure.ExampleGroups[0], structure.ExampleGroups[1]);
    }

    [Fact]
    public void Fit_is_deterministic_for_a_seed()
    {
        var examples = SyntheticData.Examples(30, seed: 4, withTasks: false);
        var options = new TrainingOptions { Groups = 3, ClustersPerGroup = 3, Seed = 17 };

        var first = ProfileStructure.Fit(examples, options);
        var second = ProfileStructure.Fit(examples, options);

        Assert.Equal(first.Groups, second.Groups);
        Assert.Equal(first.ExampleGroups, second.ExampleGroups);
        Assert.Equal(first.CentroidGroups, second.CentroidGroups);
        Assert.Equal(first.Centroids.Length, second.Centroids.Length);
        for (var c = 0; c < first.Centroids.Length; c++)
        {
            Assert.Equal(first.Centroids[c], second.Centroids[c]);
        }
    }
}
