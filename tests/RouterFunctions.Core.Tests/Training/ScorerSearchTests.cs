using RouterFunctions.Core.Metrics;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Tests.Training;

public class ScorerSearchTests
{
    private static readonly SearchSpace Space = new()
    {
        ClustersPerGroup = [1, 2],
        Kinds = [ScorerKind.Centroids, ScorerKind.GroupLogistic],
        TopK = [1],
        Temperatures = [0.1],
        Shrinkages = [1, 10],
        Regularizations = [0.1, 1],
        Folds = 2,
        SweepSteps = 10,
    };

    private static readonly TrainingOptions Template = new() { Seed = 3 };

    [Fact]
    public void Run_scores_every_candidate_and_sorts_by_cross_validated_aiq()
    {
        // 50 examples per task, so each training half holds about 25 per group: enough for heads.
        var examples = SyntheticData.Examples(50, seed: 6);

        var trials = ScorerSearch.Run(examples, SyntheticData.Models, Template, Space);

        var candidates = Space.Candidates(Template).ToList();
        Assert.Equal(candidates.Count, trials.Count);
        Assert.Equal(candidates.ToHashSet(), trials.Select(t => t.Options).ToHashSet());
        Assert.All(trials, t => Assert.InRange(t.CrossValidatedAiq, 0, 1));
        for (var i = 1; i < trials.Count; i++)
        {
            Assert.True(trials[i - 1].CrossValidatedAiq >= trials[i].CrossValidatedAiq, "trials must be sorted best first");
        }
    }

    [Fact]
    public void Without_task_labels_each_setting_is_tried_once_with_clusters_as_groups()
    {
        var examples = SyntheticData.Examples(30, seed: 2).Select(e => e with { Task = null }).ToList();

        var trials = ScorerSearch.Run(examples, SyntheticData.Models, Template, Space);

        Assert.Equal(Space.Candidates(Template).Count(c => c.TaskGroups), trials.Count);
        Assert.All(trials, t => Assert.True(t.Options.TaskGroups));
    }

    [Fact]
    public void Run_is_deterministic_for_a_seed()
    {
        var examples = SyntheticData.Examples(50, seed: 6);

        var first = ScorerSearch.Run(examples, SyntheticData.Models, Template, Space);
        var second = ScorerSearch.Run(examples, SyntheticData.Models, Template, Space);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Run_reports_progress_once_per_fold()
    {
        var progress = new Recorder();

        ScorerSearch.Run(SyntheticData.Examples(20, seed: 1), SyntheticData.Models, Template, Space with { Kinds = [ScorerKind.Centroids], Folds = 3 }, progress);

        Assert.Equal(["cross-validation fold 1/3 done", "cross-validation fold 2/3 done", "cross-validation fold 3/3 done"], progress.Messages);
    }

    [Fact]
    public void Run_finds_a_router_better_than_mixing_models_at_random()
    {
        // The cheap model is good on one task only: a query-aware scorer must beat the zero router.
        var examples = SyntheticData.Examples(50, seed: 6);
        var names = SyntheticData.Models.Select(m => m.Name).ToList();
        var zero = Baselines.Compute(new OutcomeTable(names, [.. examples.Select(e => e.Outcomes)])).ZeroRouterAiq;

        var best = ScorerSearch.Run(examples, SyntheticData.Models, Template, Space)[0];

        Assert.True(best.CrossValidatedAiq > zero, $"best CV AIQ {best.CrossValidatedAiq} does not beat the zero router {zero}");
    }

    private sealed class Recorder : IProgress<string>
    {
        public List<string> Messages { get; } = [];

        public void Report(string value) => Messages.Add(value);
    }
}
