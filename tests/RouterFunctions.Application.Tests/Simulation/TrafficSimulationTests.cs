using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RouterFunctions.Application.Simulation;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Application.Tests.Simulation;

/// <summary>The simulation over the real composition (local SQLite store in a temporary folder), with a fixed-vector embedder.</summary>
public sealed class TrafficSimulationTests : IDisposable
{
    private static readonly string[] Tasks = ["code", "math"];

    private static readonly IReadOnlyList<ModelDescriptor> Models =
    [
        new() { Name = "cheap", InputPricePerMillion = 0.1, OutputPricePerMillion = 0.2 },
        new() { Name = "dear", InputPricePerMillion = 10, OutputPricePerMillion = 30 },
        new() { Name = "newcomer", InputPricePerMillion = 1, OutputPricePerMillion = 2 },
    ];

    private static readonly SearchSpace Tiny = new()
    {
        Kinds = [ScorerKind.Centroids],
        ClustersPerGroup = [1],
        TopK = [1],
        Temperatures = [0.05],
        Shrinkages = [3],
        Regularizations = [0.1],
        Folds = 2,
        SweepSteps = 10,
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-simulate-test-").FullName;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>
    /// Row i: "task i", task alternating. Code is easy for every model; maths only for the dear one and the newcomer
    /// (which costs between the two). Each model's score and cost differ, so a stored event tells which model it graded.
    /// </summary>
    private static LabeledQuery Row(int i, string split)
    {
        var task = Tasks[i % 2];
        return new LabeledQuery($"q{i}", $"{task} {i}", task, split, new Dictionary<string, ModelOutcome>
        {
            ["cheap"] = new(task == "code" ? 0.9 : 0.1, 0.0001),
            ["dear"] = new(0.95, 0.01),
            ["newcomer"] = new(task == "code" ? 0.8 : 0.85, 0.001),
        });
    }

    private static readonly List<LabeledQuery> TrainRows = [.. Enumerable.Range(0, 80).Select(i => Row(i, DatasetSplit.Train))];

    /// <summary>One-hot by task, and the row's number, so a decision's stored embedding names its query.</summary>
    private static float[] VectorFor(string text)
    {
        var parts = text.Split(' ');
        var i = int.Parse(parts[1], CultureInfo.InvariantCulture);
        return [parts[0] == "code" ? 1 : 0, parts[0] == "math" ? 1 : 0, 0.01f * (i % 7), i / 1000f];
    }

    private static int RowOf(float[] embedding) => (int)Math.Round(embedding[3] * 1000);

    private ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Mode"] = "Local",
            ["Storage:LocalDirectory"] = _directory,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRouterCore(configuration);
        services.AddTrafficSimulation();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new RecordingEmbeddingGenerator(VectorFor));
        return services.BuildServiceProvider();
    }

    private static SimulationInput Input(string? cold = null) => new()
    {
        Train = TrainRows,
        Test = [.. Enumerable.Range(100, 20).Select(i => Row(i, DatasetSplit.Test))],
        Models = Models,
        EmbeddingModelId = RecordingEmbeddingGenerator.DefaultModelId,
        SeedFraction = 0.25,
        Checkpoints = 3,
        Steps = 20,
        Space = Tiny,
        ColdModel = cold,
    };

    private static Task<SimulationResult> RunAsync(ServiceProvider services, SimulationInput input) =>
        services.GetRequiredService<TrafficSimulation>().RunAsync(input, new Progress<string>(), new Progress<StageProgress>(), Cancellation);

    [Fact]
    public async Task Every_event_is_ingested_once_and_grades_the_chosen_model_with_its_recorded_score_only()
    {
        await using var services = Services();

        var result = await RunAsync(services, Input());

        var events = new List<FeedbackEvent>();
        await foreach (var e in services.GetRequiredService<IFeedbackStore>().ListAsync(Cancellation))
        {
            events.Add(e);
        }

        Assert.Equal(20, result.SeedQueries);
        Assert.Equal(60, result.Events);
        Assert.Equal(60, events.Count);
        Assert.Equal(60, events.Select(e => e.RequestId).Distinct(StringComparer.Ordinal).Count()); // one event per routed query
        var decisions = services.GetRequiredService<IDecisionLog>();
        foreach (var e in events)
        {
            var decision = await decisions.GetAsync(e.RequestId, Cancellation);
            Assert.NotNull(decision);
            var recorded = TrainRows[RowOf(decision.Embedding)].Results[decision.Model];
            Assert.Equal(decision.Model, e.Model);
            Assert.Equal(recorded.Score, e.Score);
            Assert.Equal(recorded.Cost, e.Cost);
            Assert.Equal(TrafficSimulation.Source, e.Source);
        }

        var queues = services.GetRequiredService<LocalQueues>();
        Assert.Equal(0, queues.Feedback.Pending);
        Assert.Equal(0, queues.Retrain.Pending);
    }

    [Fact]
    public async Task The_learning_curve_has_a_row_at_the_start_and_one_per_checkpoint_and_a_full_information_reference()
    {
        await using var services = Services();

        var result = await RunAsync(services, Input());

        Assert.Equal([0, 20, 40, 60], result.Checkpoints.Select(p => p.Events));
        Assert.Equal(1, result.Checkpoints[0].ProfileVersion);
        Assert.Null(result.Checkpoints[0].Retrain);
        Assert.All(result.Checkpoints.Skip(1), p => Assert.NotNull(p.Retrain));
        Assert.True(result.Retrains >= 3);
        Assert.All(result.Checkpoints, p => Assert.InRange(p.TestAiq, 0, 1));
        Assert.All(result.Checkpoints, p => Assert.Equal(0, p.ExplorationSpend));
        Assert.InRange(result.FullInformationAiq, 0, 1);
        Assert.Equal(result.Checkpoints[^1].ProfileVersion, result.Published + 1);
    }

    [Fact]
    public async Task A_cold_model_starts_at_its_prior_with_no_seed_grades()
    {
        await using var services = Services();

        var result = await RunAsync(services, Input(cold: "newcomer"));

        var start = result.Checkpoints[0].Cold;
        Assert.NotNull(start);
        Assert.Equal("newcomer", start.Model);
        Assert.Equal(0.5, start.Predicted, 6); // the cold-start prior: no graded data for it in the seed
        Assert.Equal((0.8 + 0.85) / 2, start.True, 6);
        Assert.Equal(0, start.TimesChosen);
        Assert.All(result.Checkpoints, p => Assert.NotNull(p.Cold));
    }

    [Fact]
    public async Task A_seed_fraction_outside_zero_to_one_is_refused()
    {
        await using var services = Services();

        await Assert.ThrowsAsync<ArgumentException>(() => RunAsync(services, Input() with { SeedFraction = 1 }));
    }

    [Fact]
    public async Task A_cold_model_with_fewer_than_two_other_models_is_refused()
    {
        await using var services = Services();

        var input = Input(cold: "newcomer") with { Models = [.. Models.Where(m => m.Name != "dear")] };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RunAsync(services, input));

        Assert.Contains("at least two other models", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checkpoints_are_evenly_spaced_and_end_at_the_last_event()
    {
        Assert.Equal([3, 7, 10], TrafficSimulation.CheckpointPositions(10, 3).Order());
        Assert.Equal([1, 2], TrafficSimulation.CheckpointPositions(2, 5).Order());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
