using RouterFunctions.Core.Data;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Tests.Feedback;

public class RetrainingTests
{
    private static readonly ModelDescriptor[] Models = [new() { Name = "A" }, new() { Name = "B" }];

    // One cluster over queries u in [0, 1): model B answers the easy half (u < 0.5) and fails the rest, so its true
    // mean is 0.5. The logging policy knew it: it sent B 90% of easy queries and 10% of hard ones. B's logged
    // feedback is then 90% successes; only weighting by the inverse propensity recovers 0.5.
    private static (RoutingProfile Current, Dictionary<string, DecisionRecord> Decisions, List<FeedbackEvent> Events) LoggedTraffic(int queries, int seed)
    {
        var structure = new ProfileStructure(["g"], [0], [[0.5f]], [0]);
        var current = ProfileTrainer.Build(
            structure,
            [new TrainingExample([0.5f], new Dictionary<string, ModelOutcome> { ["A"] = new(0.5, 0.001), ["B"] = new(0.5, 0.01) })],
            Models,
            "e",
            new TrainingOptions(),
            null);
        var random = new Random(seed);
        var decisions = new Dictionary<string, DecisionRecord>();
        var events = new List<FeedbackEvent>();
        for (var i = 0; i < queries; i++)
        {
            var u = random.NextDouble();
            var pB = u < 0.5 ? 0.9 : 0.1;
            var chooseB = random.NextDouble() < pB;
            var (model, propensity, score) = chooseB ? ("B", pB, u < 0.5 ? 1.0 : 0.0) : ("A", 1 - pB, 0.5);
            var id = $"r{i}";
            decisions[id] = new DecisionRecord(id, 1, model, [new ClusterWeight(0, 1)], [(float)u], default, propensity);
            events.Add(new FeedbackEvent($"e{i}", id, score, null, null, null, null, null, default));
        }

        return (current, decisions, events);
    }

    private static double BMean(RoutingProfile current, IReadOnlyList<(string, TrainingExample Example)> feedback) =>
        ProfileTrainer.Build(new ProfileStructure(["g"], [.. feedback.Select(_ => 0)], [[0.5f]], [0]), [.. feedback.Select(f => f.Example)], Models, "e", new TrainingOptions(), null)
            .Global[current.IndexOf("B")].MeanScore;

    [Fact]
    public void Inverse_propensity_weights_recover_a_models_true_mean_from_a_biased_logging_policy()
    {
        var (current, decisions, events) = LoggedTraffic(20_000, seed: 3);

        var weighted = BMean(current, Retraining.FeedbackExamples(current, decisions, events, maxWeight: 100));
        var naive = BMean(current, Retraining.FeedbackExamples(current, decisions.ToDictionary(d => d.Key, d => d.Value with { Propensity = 1 }), events));

        Assert.Equal(0.5, weighted, 1); // ±0.05
        Assert.True(naive > 0.85, $"naive mean {naive}");
    }

    [Fact]
    public void Weights_are_clipped_and_normalised_to_a_mean_of_one()
    {
        var (current, decisions, events) = LoggedTraffic(2_000, seed: 5);

        var examples = Retraining.FeedbackExamples(current, decisions, events, maxWeight: 5);

        Assert.Equal(1, examples.Average(e => e.Example.Weight), 9);
        var raw = examples.Select(e => e.Example.Weight).Distinct().Order().ToList();
        Assert.Equal(5 / (10.0 / 9), raw[^1] / raw[0], 9); // 1/0.1 = 10 clipped to 5, against 1/0.9
    }

    [Theory]
    [InlineData(0.25, 10, 4)]
    [InlineData(0.01, 10, 10)]
    [InlineData(0, 10, 1)]
    [InlineData(double.NaN, 10, 1)]
    [InlineData(1, 10, 1)]
    public void Propensity_weight_is_the_clipped_inverse(double propensity, double max, double expected) =>
        Assert.Equal(expected, Retraining.PropensityWeight(propensity, max), 12);
}

public class RetrainingGateTests
{
    private static readonly ModelDescriptor[] Models = [new() { Name = "A" }, new() { Name = "B" }];

    private static TrainingExample Example(float x, double a, double b) =>
        new([x, 0f], new Dictionary<string, ModelOutcome> { ["A"] = new(a, 0.001), ["B"] = new(b, 0.01) });

    [Fact]
    public void The_comparison_also_scores_held_out_seed_examples_which_grade_every_model()
    {
        // Noise-free, so the current profile, which saw the held-out seed examples, has no in-sample advantage on them.
        var seed = Enumerable.Range(0, 200).Select(i => Example(i % 2, i % 2, 1)).ToList();
        var options = new TrainingOptions { ClustersPerGroup = 2, Groups = 1 };
        var current = ProfileTrainer.Train(seed, Models, "e", options);
        var feedback = Enumerable.Range(0, 100)
            .Select(i => ($"event-{i}", new TrainingExample([i % 2, 0f], new Dictionary<string, ModelOutcome> { ["B"] = new(1, 0.01) })))
            .ToList();

        var result = Retraining.Run(current, seed, feedback, new RetrainOptions(), 2, default);

        var seedHeldOut = int.Parse(System.Text.RegularExpressions.Regex.Match(result.Why, @"on (\d+) seed examples").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seedHeldOut, 20, 60); // about 20% of 200
        Assert.InRange(result.HeldOut, 10, 35); // about 20% of the 100 events
        Assert.Equal(200 + 100 - result.HeldOut, int.Parse(result.Candidate.Notes["trainedOn"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Clear_feedback_that_a_model_fails_wins_over_a_seed_that_said_it_succeeds()
    {
        // Drift: the seed says B succeeds everywhere; 100 events say it now fails. The seed held out disagrees, but the
        // gain on the feedback held out is larger.
        var seed = Enumerable.Range(0, 200).Select(i => Example(i % 2, 1, 1)).ToList();
        var current = ProfileTrainer.Train(seed, Models, "e", new TrainingOptions { ClustersPerGroup = 2, Groups = 1 });
        var feedback = Enumerable.Range(0, 100)
            .Select(i => ($"event-{i}", new TrainingExample([i % 2, 0f], new Dictionary<string, ModelOutcome> { ["B"] = new(0, 0.01) })))
            .ToList();

        var result = Retraining.Run(current, seed, feedback, new RetrainOptions(), 2, default);

        Assert.True(result.Publish, result.Why);
        Assert.True(result.CandidateScore > result.CurrentScore, result.Why);
    }

    [Theory]
    [InlineData(0.05, -0.02, true)] // clear feedback, some seed disagreement
    [InlineData(0.003, -0.012, false)] // a small gain bought with the other models' accuracy
    [InlineData(0, 0, true)]
    [InlineData(0.01, 0.01, true)]
    public void A_candidate_is_published_only_if_its_feedback_gain_covers_its_seed_loss(double feedbackGain, double seedGain, bool expected) =>
        Assert.Equal(expected, Retraining.GainsMoreThanItLoses(feedbackGain, seedGain));
}
