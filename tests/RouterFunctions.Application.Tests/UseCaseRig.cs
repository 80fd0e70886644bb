using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RouterFunctions.Aggregation;
using RouterFunctions.Application.Aggregation;
using RouterFunctions.Application.Chat;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Application.Retraining;
using RouterFunctions.Application.Routing;
using RouterFunctions.Application.Tests.Fakes;
using RouterFunctions.Chat;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Storage;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;
using RouterFunctions.Testing.Doubles;

namespace RouterFunctions.Application.Tests;

/// <summary>
/// The use cases built by hand, without a host: the real stores over in-memory tables (no journal), a fake clock, an
/// embedder of fixed vectors (the sample profile's first centroid unless a test says otherwise), a recording sender.
/// Set what a test needs (options, backends, a failing store) before asking for a use case: each is built on demand.
/// </summary>
internal sealed class UseCaseRig : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly List<IDisposable> _owned = [];

    public UseCaseRig()
    {
        Telemetry = new RouterTelemetry(_meters);
        Decisions = new TableDecisionLog(Table("decisions"));
        Feedback = new TableFeedbackStore(Table("feedback"), Time);
        FeedbackKeys = new TableFeedbackKeys(Table("feedbackkeys"));
        var stats = Table("stats");
        Stats = new TableStatsStore(stats);
        Trigger = new TableRetrainTrigger(stats);
        Parking = new TableParkingLot(Table("parked"));
        ProfileStore = new TableProfileStore(Table("profiles"));
        Seeds = new TableSeedStore(Table("seed"));
        RetrainLog = new TableRetrainLog(Table("retrains"));
        Aggregations = new TableAggregationStore(Table("aggregation"));
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 2, 9, 30, 0, TimeSpan.Zero));

    public ProfileHolder Profiles { get; } = new();

    public RecordingMessageSender Sender { get; } = new();

    public RouterTelemetry Telemetry { get; }

    /// <summary>What every text embeds to: by default the first centroid of <see cref="SampleProfiles.Small"/> (cluster 0).</summary>
    public Func<string, float[]> VectorFor { get; set; } = _ => [1f, 0f, 0.5f];

    public RecordingEmbeddingGenerator Embedder => field ??= new RecordingEmbeddingGenerator(t => VectorFor(t));

    public IDecisionLog Decisions { get; set; }

    public IFeedbackStore Feedback { get; }

    public TableFeedbackKeys FeedbackKeys { get; }

    public IStatsStore Stats { get; }

    public IRetrainTrigger Trigger { get; }

    public IParkingLot Parking { get; }

    public IProfileStore ProfileStore { get; }

    public ISeedStore Seeds { get; }

    public IRetrainLog RetrainLog { get; }

    public IAggregationStore Aggregations { get; }

    public RouterOptions RouterOptions { get; } = new();

    public FeedbackOptions FeedbackOptions { get; } = new();

    public StorageOptions StorageOptions { get; } = new();

    public AggregationOptions AggregationOptions { get; set; } = new();

    /// <summary>The configured chat models (OpenAI-compatible, never called by these tests unless a test says so).</summary>
    public IReadOnlyList<string> BackendModels { get; set; } = ["cheap", "dear"];

    public ChatBackends Backends => field ??= Own(new ChatBackends(BackendModels.Select(name => new ChatModelOptions
    {
        Name = name,
        Kind = ChatModelKind.OpenAICompatible,
        Endpoint = "http://127.0.0.1:9/v1",
        InputPricePerMillion = 1,
        OutputPricePerMillion = 2,
    })));

    /// <summary>The backends' circuits routing reads, when a test gives them (else routing ignores health).</summary>
    public BackendHealthMonitor? Health { get; set; }

    /// <summary>Loads <see cref="SampleProfiles.Small"/> (or the given profile) into the holder.</summary>
    public RoutingProfile UseProfile(RoutingProfile? profile = null)
    {
        profile ??= SampleProfiles.Small();
        Profiles.Set(profile);
        return profile;
    }

    /// <summary>Exploration for every route (one explorer, so its draws and budget carry over); null: none.</summary>
    public ExplorationOptions? Exploration { get; set; }

    private Explorer? Explorer => Exploration is null ? null : field ??= new Explorer(Options.Create(Exploration));

    public RoutingService Routing() => new(Embedder, Decisions, Telemetry, Time, NullLogger<RoutingService>.Instance, health: Health, explorer: Explorer);

    public RouteQuery RouteQuery() => new(Routing(), Profiles, Options.Create(RouterOptions));

    public SubmitFeedback SubmitFeedback() => new(Decisions, FeedbackKeys, Sender, Options.Create(FeedbackOptions), Options.Create(StorageOptions), Time);

    public IngestFeedback IngestFeedback() => new(
        Decisions, Feedback, Stats, Trigger, Parking, Sender, Profiles, Options.Create(FeedbackOptions), Options.Create(StorageOptions), Telemetry, Time, NullLogger<IngestFeedback>.Instance);

    public RetrainRunner RetrainRunner() => Own(new RetrainRunner(
        ProfileStore, Seeds, Decisions, Feedback, RetrainLog, Trigger, Profiles, Telemetry, Options.Create(FeedbackOptions), Time, NullLogger<RetrainRunner>.Instance));

    public AggregationService Aggregation() => new(
        Aggregations, Routing(), Profiles, Backends, Sender, Options.Create(AggregationOptions), NullLogger<AggregationService>.Instance);

    public ProfileChatRouter ChatRouter() => new(Routing(), Profiles, Backends, Options.Create(RouterOptions));

    public ChatCompletions ChatCompletions(ScriptedChatClient client) =>
        new(client, ChatRouter(), Profiles, Backends, Aggregation(), NullLogger<ChatCompletions>.Instance);

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Telemetry.Dispose();
        _meters.Dispose();
    }

    private static MemoryEntityTable Table(string name) => new(name);

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
