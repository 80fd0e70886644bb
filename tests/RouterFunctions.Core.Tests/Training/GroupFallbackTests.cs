using RouterFunctions.Core.Data;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Tests.Training;

public class GroupFallbackTests
{
    private static readonly ModelDescriptor[] Models = [new() { Name = "small" }, new() { Name = "mid" }, new() { Name = "large" }];

    // Weakly regularised heads: they find a real signal, and fit pure noise just as eagerly.
    private static readonly TrainingOptions Options = new()
    {
        Seed = 5,
        ClustersPerGroup = 1,
        Scorer = new ScorerSettings { Kind = ScorerKind.GroupLogistic, TopK = 1, Shrinkage = 3, Regularization = 100 },
    };

    private static readonly SearchSpace Space = new() { Folds = 5, SweepSteps = 50 };

    [Fact]
    public void Choose_keeps_the_scorer_where_it_routes_well_and_falls_back_where_it_fits_noise()
    {
        var rows = GroupFallback.Choose(Examples(120, seed: 11), Models, Options, Space);

        var signal = Assert.Single(rows, r => r.Group == "signal");
        var noise = Assert.Single(rows, r => r.Group == "noise");
        Assert.Equal(120, signal.Examples);
        Assert.Equal(GroupPrediction.Scorer, signal.Chosen.Mode);
        Assert.True(signal.ScorerAiq > signal.MeansAiq + GroupFallback.DefaultMargin, $"signal: scorer {signal.ScorerAiq} vs means {signal.MeansAiq}");
        Assert.NotEqual(GroupPrediction.Scorer, noise.Chosen.Mode);
        Assert.True(Math.Max(noise.MeansAiq, noise.BestAiq) > noise.ScorerAiq + GroupFallback.DefaultMargin, $"noise: scorer {noise.ScorerAiq} vs means {noise.MeansAiq}, best {noise.BestAiq}");
    }

    [Fact]
    public void Choose_keeps_the_scorer_when_no_fallback_beats_it_by_the_margin()
    {
        var rows = GroupFallback.Choose(Examples(120, seed: 11), Models, Options, Space, margin: 1);

        Assert.All(rows, r => Assert.Equal(GroupMode.Scorer, r.Chosen));
    }

    [Fact]
    public void Choose_names_the_groups_best_single_model_for_the_best_mode()
    {
        var rows = GroupFallback.Choose(Examples(120, seed: 11), Models, Options, Space);

        // Noise: large 0.9 beats mid 0.75; signal: large 0.95 beats small's half-and-half.
        Assert.All(rows, r => Assert.Equal("large", r.BestModel));
        Assert.All(rows.Where(r => r.Chosen.Mode == GroupPrediction.Best), r => Assert.Equal("large", r.Chosen.Model));
    }

    [Fact]
    public void Choose_is_deterministic_for_a_seed()
    {
        var examples = Examples(60, seed: 2);

        Assert.Equal(GroupFallback.Choose(examples, Models, Options, Space), GroupFallback.Choose(examples, Models, Options, Space));
    }

    /// <summary>
    /// Two tasks far apart. "signal": the cheap model is right exactly where the first coordinate is positive. "noise": every
    /// model's grade is a coin flip of its own rate, unrelated to the embedding, whose other coordinates are pure noise.
    /// </summary>
    internal static List<TrainingExample> Examples(int perGroup, int seed)
    {
        const int dimensions = 16;
        var random = new Random(seed);
        var examples = new List<TrainingExample>();
        for (var i = 0; i < perGroup * 2; i++)
        {
            var signal = i % 2 == 0;
            var embedding = new float[dimensions];
            for (var d = 0; d < dimensions; d++)
            {
                embedding[d] = (float)(random.NextDouble() - 0.5);
            }

            embedding[1] += signal ? 10 : -10;
            int Grade(double p) => random.NextDouble() < p ? 1 : 0;
            var (small, mid, large) = signal
                ? (embedding[0] > 0 ? Grade(0.95) : Grade(0.05), Grade(0.5), Grade(0.95))
                : (Grade(0.3), Grade(0.75), Grade(0.9));
            var outcomes = new Dictionary<string, ModelOutcome>(StringComparer.Ordinal)
            {
                ["small"] = new(small, 0.001),
                ["mid"] = new(mid, 0.003),
                ["large"] = new(large, 0.01),
            };
            examples.Add(new TrainingExample(embedding, outcomes, signal ? "signal" : "noise"));
        }

        return examples;
    }
}
