using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Tests.Training;

public class SearchSpaceTests
{
    private static readonly SearchSpace Space = new()
    {
        ClustersPerGroup = [1, 2],
        Kinds = [ScorerKind.Centroids, ScorerKind.GroupLogistic],
        TopK = [1, 2],
        Temperatures = [0.05, 0.1],
        Shrinkages = [3],
        Regularizations = [0.1, 0.3],
    };

    [Fact]
    public void Candidates_enumerates_only_meaningful_combinations()
    {
        // clusters 1: top-1 only → centroids 1 + logistic 2 = 3.
        // clusters 2: top-1 (one temperature) → 1 + 2; top-2 (two temperatures) → 2 + 4. 12, for tasks and for
        // clusters as groups: 24.
        var candidates = Space.Candidates(new TrainingOptions()).ToList();

        Assert.Equal(24, candidates.Count);
        Assert.Equal(12, candidates.Count(c => c.TaskGroups));
        Assert.Equal(candidates.Count, candidates.Distinct().Count());
        Assert.DoesNotContain(candidates, c => c.Scorer.TopK > c.ClustersPerGroup);
        Assert.All(candidates.Where(c => c.Scorer.TopK == 1), c => Assert.Equal(0.05, c.Scorer.Temperature));
        Assert.All(candidates.Where(c => c.Scorer.Kind == ScorerKind.Centroids), c => Assert.Equal(0.1, c.Scorer.Regularization));
        Assert.Equal(2, candidates.Count(c => c.TaskGroups && c.ClustersPerGroup == 2 && c.Scorer is { Kind: ScorerKind.Centroids, TopK: 2 }));
    }

    [Fact]
    public void Candidates_keep_the_templates_other_settings()
    {
        var template = new TrainingOptions { Seed = 5, Version = 3, Groups = 7, OodMargin = 2, FallbackModel = "x" };

        Assert.All(Space.Candidates(template), c => Assert.Equal(template with { TaskGroups = c.TaskGroups, ClustersPerGroup = c.ClustersPerGroup, Scorer = c.Scorer }, c));
    }
}
