using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Application.Retraining;
using RouterFunctions.Application.Routing;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Metrics;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;
using RouterFunctions.Core.Training;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Application.Simulation;

/// <summary>
/// Replays graded queries as live traffic through the router's own path: each query is routed (RoutingService),
/// graded with the recorded score and cost of the model the router chose, and only that one (SubmitFeedback), and
/// ingested from the local feedback queue (IngestFeedback, the consumer local mode runs); retrain requests from
/// ingestion are consumed as local mode does, and at each checkpoint the retrain use case runs (it publishes only if
/// not worse). The store starts empty: a seed profile is trained and published with its examples as the local router
/// does at first start. Each checkpoint measures the current profile on the test split against a full-information
/// profile (trained on the whole train split with every model's scores).
/// </summary>
public sealed partial class TrafficSimulation(
    IEmbeddingGenerator<string, Embedding<float>> embedder,
    RoutingService routing,
    SubmitFeedback submit,
    IngestFeedback ingest,
    RetrainRunner retrain,
    ProfileHolder holder,
    IProfileStore profiles,
    ISeedStore seeds,
    LocalQueues queues,
    IOptions<RouterOptions> options,
    TimeProvider time,
    ILogger<TrafficSimulation> logger)
{
    /// <summary>The feedback's source, so simulated events are told from real ones.</summary>
    public const string Source = "simulate";

    /// <summary>The progress stage of the replayed queries.</summary>
    public const string Events = "events";

    public async Task<SimulationResult> RunAsync(SimulationInput input, IProgress<string> progress, IProgress<StageProgress> stages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(stages);
        Validate(input);
        if (await profiles.GetCurrentAsync(cancellationToken) is { } existing)
        {
            throw new InvalidOperationException($"The store already has profile v{existing.Version}: a simulation starts from an empty store.");
        }

        var policy = new RoutingPolicy { CostWeight = options.Value.DefaultCostWeight };
        var names = input.Models.Select(m => m.Name).ToList();
        var random = new Random(input.Seed);
        var order = Enumerable.Range(0, input.Train.Count).ToArray();
        random.Shuffle(order);
        var seedCount = Math.Clamp((int)Math.Round(input.SeedFraction * input.Train.Count), 1, input.Train.Count - 1);
        var traffic = order[seedCount..];

        // Full information first: its embeddings of every train query are the ones routing finds in its cache.
        progress.Report($"full-information profile: training on all {input.Train.Count} train queries with every model's scores");
        var full = await ProfileTraining.TrainAsync(
            embedder, input.EmbeddingModelId, input.Train, input.Models, Options(input), input.Space, progress, Prefixed(stages, "full information: "), cancellationToken);

        progress.Report($"seed profile: training on {seedCount} train queries{(input.ColdModel is { } c ? $" without {c}'s results" : "")}");
        var seedRun = await TrainSeedAsync(input, [.. order[..seedCount].Select(i => input.Train[i])], Prefixed(stages, "seed: "), progress, cancellationToken);
        await seeds.SaveAsync(seedRun.Examples, cancellationToken);
        if (!await profiles.TryPublishAsync(seedRun.Profile, null, cancellationToken))
        {
            throw new InvalidOperationException("Another profile was published first: a simulation needs its store to itself.");
        }

        holder.Set(seedRun.Profile);

        progress.Report($"embedding {input.Test.Count} test queries");
        stages.Report(new StageProgress("test embedding", 0, input.Test.Count));
        var testVectors = await embedder.EmbedAllAsync(
            [.. input.Test.Select(r => r.Text)],
            new InlineProgress<int>(done => stages.Report(new StageProgress("test embedding", done, input.Test.Count))),
            cancellationToken: cancellationToken);
        DatasetChecks.RequireModels(input.Test, names, "the simulation routes to");
        var table = new OutcomeTable(names, [.. input.Test.Select(r => r.Results)]);
        var target = input.Target.Resolve(Baselines.Compute(table));
        var fullEvaluation = Evaluate(full.Profile, testVectors, table, input, out _);
        progress.Report(FormattableString.Invariant($"full-information profile: test AIQ {fullEvaluation.Aiq:F4}"));

        var fullRouter = new Router(full.Profile);
        var at = CheckpointPositions(traffic.Length, input.Checkpoints);
        var run = new RunState();
        await using var feedbackQueue = new QueueDrain(queues.Feedback, cancellationToken);
        await using var retrainQueue = new QueueDrain(queues.Retrain, cancellationToken);
        var curve = new List<SimulationCheckpoint> { Measure(0, null, run, input, testVectors, table) };
        stages.Report(new StageProgress(Events, 0, traffic.Length));
        for (var e = 0; e < traffic.Length; e++)
        {
            var row = input.Train[traffic[e]];
            var router = holder.Current ?? throw new InvalidOperationException("The router has no profile.");
            var routed = await routing.RouteAsync(router, row.Text, policy, null, cancellationToken);
            var chosen = routed.Decision.Model;
            run.ExplorationSpend += routed.Decision.ExplorationCost;
            var outcome = row.Results[chosen];
            var submitted = await submit.SubmitAsync(
                new FeedbackRequest(routed.RequestId, outcome.Score, null, chosen, outcome.Cost, null, Source), null, cancellationToken);
            if (submitted.Error is { } error)
            {
                throw new InvalidOperationException($"Feedback for {routed.RequestId} was refused: {error.Detail}");
            }

            await feedbackQueue.DrainAsync(d => ingest.HandleAsync(d, cancellationToken));
            await retrainQueue.DrainAllAsync(async batch => run.Retrained(await retrain.HandleAsync(batch, cancellationToken)));

            // Regret against the full-information profile's pick at the same policy, both scored by the recorded grades.
            run.Regret += row.Results[fullRouter.Decide(full.Examples[traffic[e]].Embedding, policy).Model].Score - outcome.Score;
            if (chosen == input.ColdModel)
            {
                run.ColdChosen++;
            }

            stages.Report(new StageProgress(Events, e + 1, traffic.Length));
            if (at.Contains(e + 1))
            {
                var outcomeOfRetrain = run.Retrained(await retrain.RunAsync(string.Create(CultureInfo.InvariantCulture, $"simulate: checkpoint at {e + 1} events"), cancellationToken));
                var point = Measure(e + 1, outcomeOfRetrain.Why, run, input, testVectors, table);
                curve.Add(point);
                progress.Report(FormattableString.Invariant($"{e + 1} events: profile v{point.ProfileVersion}, test AIQ {point.TestAiq:F4}, cumulative regret {point.CumulativeRegret:F1}"));
                LogCheckpoint(logger, e + 1, point.ProfileVersion, point.TestAiq, outcomeOfRetrain.Why);
            }
        }

        var within = input.ColdModel is null ? null : curve.FirstOrDefault(p => p.Cold!.Within(SimulationResult.ColdTolerance))?.Events;
        return new SimulationResult(
            seedCount,
            traffic.Length,
            input.Test.Count,
            policy.CostWeight,
            target,
            fullEvaluation.Aiq,
            fullEvaluation.CostAt[target],
            curve,
            input.ColdModel,
            within,
            run.Retrains,
            run.Published);

        SimulationCheckpoint Measure(int events, string? why, RunState state, SimulationInput settings, float[][] vectors, OutcomeTable outcomes)
        {
            var profile = holder.Current!.Profile;
            var evaluation = Evaluate(profile, vectors, outcomes, settings, out var estimates);
            ColdModelQuality? cold = null;
            if (settings.ColdModel is { } name && profile.IndexOf(name) is var m and >= 0)
            {
                var column = names.IndexOf(name);
                cold = new ColdModelQuality(name, estimates.Average(x => x.Quality[m]), outcomes.Score.Average(s => s[column]), state.ColdChosen);
            }

            return new SimulationCheckpoint(events, profile.Version, evaluation.Aiq, evaluation.CostAt[target], state.Regret, state.ExplorationSpend, why, cold);
        }
    }

    private static void Validate(SimulationInput input)
    {
        if (input.SeedFraction is not (> 0 and < 1))
        {
            throw new ArgumentException($"The seed fraction must be between 0 and 1 (exclusive), not {input.SeedFraction}.", nameof(input));
        }

        if (input.Checkpoints < 1)
        {
            throw new ArgumentException($"At least one checkpoint is needed, not {input.Checkpoints}.", nameof(input));
        }

        if (input.Train.Count < 2 || input.Test.Count == 0)
        {
            throw new ArgumentException($"A simulation needs at least 2 train queries and 1 test query (got {input.Train.Count} and {input.Test.Count}).", nameof(input));
        }

        if (input.ColdModel is { } cold && !input.Models.Any(m => m.Name == cold))
        {
            throw new ArgumentException($"The cold model '{cold}' is not one of the data's models ({string.Join(", ", input.Models.Select(m => m.Name))}).", nameof(input));
        }

        // The seed's scorer settings are chosen among the other models: cross-validation compares at least two.
        if (input.ColdModel is not null && input.Models.Count < 3)
        {
            throw new ArgumentException($"A cold model needs at least two other models to train the seed profile on (the data has {input.Models.Count}).", nameof(input));
        }
    }

    private TrainingOptions Options(SimulationInput input) => new() { Seed = input.Seed, CreatedAt = time.GetUtcNow() };

    /// <summary>
    /// The first profile, as the local router trains it at first start. With a cold model, the scorer settings are
    /// chosen without it (cross-validation needs every model's grade) and the profile is then fitted with it among the
    /// models: descriptor and prices only, no graded data, as a newly added model.
    /// </summary>
    private async Task<TrainingRun> TrainSeedAsync(SimulationInput input, IReadOnlyList<LabeledQuery> rows, IProgress<StageProgress> stages, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (input.ColdModel is not { } cold)
        {
            return await ProfileTraining.TrainAsync(embedder, input.EmbeddingModelId, rows, input.Models, Options(input), input.Space, progress, stages, cancellationToken);
        }

        var without = rows.Select(r => r with { Results = r.Results.Where(kv => kv.Key != cold).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) }).ToList();
        var warm = input.Models.Where(m => m.Name != cold).ToList();
        var run = await ProfileTraining.TrainAsync(embedder, input.EmbeddingModelId, without, warm, Options(input), input.Space, progress, stages, cancellationToken);
        var profile = ProfileTrainer.Train(run.Examples, input.Models, input.EmbeddingModelId, run.Profile.Training ?? Options(input)) with { Notes = run.Profile.Notes };
        return run with { Profile = profile };
    }

    private static RouterEvaluation Evaluate(RoutingProfile profile, float[][] vectors, OutcomeTable table, SimulationInput input, out IReadOnlyList<Estimate> estimates)
    {
        var estimator = new QualityEstimator(profile);
        estimates = [.. vectors.Select(v => estimator.Estimate(v))];
        return RouterEvaluation.Evaluate(estimates, table, estimator.CostScale, [input.Target], input.Steps);
    }

    /// <summary>Event counts after which to retrain and measure: <paramref name="checkpoints"/> evenly spaced, the last at the end.</summary>
    public static IReadOnlySet<int> CheckpointPositions(int events, int checkpoints) =>
        Enumerable.Range(1, Math.Min(checkpoints, Math.Max(events, 1)))
            .Select(k => (int)Math.Round((double)k * events / Math.Min(checkpoints, Math.Max(events, 1))))
            .Where(n => n > 0)
            .ToHashSet();

    private static InlineProgress<StageProgress> Prefixed(IProgress<StageProgress> stages, string prefix) =>
        new InlineProgress<StageProgress>(p => stages.Report(p with { Stage = prefix + p.Stage }));

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulation checkpoint at {Events} events: profile v{Version}, test AIQ {Aiq}; {Why}")]
    private static partial void LogCheckpoint(ILogger logger, int events, int version, double aiq, string why);

    private sealed class RunState
    {
        public double Regret { get; set; }

        public int ColdChosen { get; set; }

        /// <summary>Predicted USD that explored picks cost over the greedy ones.</summary>
        public double ExplorationSpend { get; set; }

        public int Retrains { get; private set; }

        public int Published { get; private set; }

        public RetrainOutcome Retrained(RetrainOutcome outcome)
        {
            Retrains++;
            Published += outcome.PublishedVersion is null ? 0 : 1;
            return outcome;
        }
    }
}
