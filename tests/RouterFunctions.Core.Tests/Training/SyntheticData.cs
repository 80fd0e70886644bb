using RouterFunctions.Core.Data;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Tests.Training;

/// <summary>Small seeded training sets: two tasks in separate regions, a cheap model good at one, a dear model good at both.</summary>
internal static class SyntheticData
{
    public static readonly ModelDescriptor[] Models = [new() { Name = "small" }, new() { Name = "large" }];

    public static List<TrainingExample> Examples(int perTask, int seed, bool withTasks = true)
    {
        var random = new Random(seed);
        var examples = new List<TrainingExample>();
        for (var i = 0; i < perTask * 2; i++)
        {
            var easy = i % 2 == 0;
            var (cx, cy) = easy ? (0.0, 0.0) : (5.0, 5.0);
            float[] embedding = [(float)(cx + random.NextDouble() - 0.5), (float)(cy + random.NextDouble() - 0.5)];
            var small = easy ? (random.NextDouble() < 0.9 ? 1 : 0) : (random.NextDouble() < 0.2 ? 1 : 0);
            var large = random.NextDouble() < 0.9 ? 1 : 0;
            var outcomes = new Dictionary<string, ModelOutcome>(StringComparer.Ordinal)
            {
                ["small"] = new(small, 0.001),
                ["large"] = new(large, 0.01),
            };
            examples.Add(new TrainingExample(embedding, outcomes, withTasks ? (easy ? "easy" : "hard") : null));
        }

        return examples;
    }
}
