using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using RouterFunctions.Application;
using RouterFunctions.Application.Status;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage;
using RouterFunctions.Storage.Stores;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Benchmarks;

/// <summary>
/// GET /api/stats against a feedback history of the given size spread over 30 days (the embedded table): the view as it
/// is (the last day's partitions) beside a scan of the whole history, which is what it did before.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class StatsBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private StatsView _view = null!;
    private TableFeedbackStore _feedback = null!;

    [Params(10_000, 100_000)]
    public int History { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var time = new FixedTime(Now);
        static MemoryEntityTable Table(string name) => new(name);

        _feedback = new TableFeedbackStore(Table(TableNames.Feedback), time);
        for (var i = 0; i < History; i++)
        {
            var at = Now.AddSeconds(-(30.0 * 86_400 * i / History));
            _feedback.TryAddAsync(new FeedbackEvent($"ev-{i}", $"req-{i}", i % 2, null, "model-" + (i % 5), null, null, "bench", at), CancellationToken.None).GetAwaiter().GetResult();
        }

        var stats = Table(TableNames.Stats);
        using var services = new ServiceCollection().BuildServiceProvider();
        _view = new StatsView(
            new ProfileHolder(),
            new DecisionTally(time),
            _feedback,
            new TableStatsStore(stats),
            new TableParkingLot(Table(TableNames.Parked)),
            new TableRetrainLog(Table(TableNames.Retrains)),
            new TableDecisionLog(Table(TableNames.Decisions)),
            new TableFeedbackKeys(Table(TableNames.FeedbackKeys)),
            new ServiceCollection().BuildServiceProvider(),
            time);
    }

    [Benchmark(Baseline = true)]
    public async Task<long> FullHistoryScan()
    {
        long n = 0;
        await foreach (var _ in _feedback.ListAsync(CancellationToken.None))
        {
            n++;
        }

        return n;
    }

    [Benchmark]
    public async Task<long> WindowRead()
    {
        long n = 0;
        await foreach (var _ in _feedback.ListReceivedAsync(Now.AddHours(-24), Now, CancellationToken.None))
        {
            n++;
        }

        return n;
    }

    [Benchmark]
    public Task<StatsResponse> StatsView() => _view.ReadAsync(CancellationToken.None);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
