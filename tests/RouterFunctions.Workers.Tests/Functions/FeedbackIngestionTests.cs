using Microsoft.Extensions.DependencyInjection;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Storage;
using RouterFunctions.Storage.Stores;

namespace RouterFunctions.Workers.Tests.Functions;

/// <summary>At-least-once delivery, and a process that dies at any point: every feedback event is counted exactly once.</summary>
[Collection(WorkersCollection.Name)]
public sealed class FeedbackIngestionTests(WorkersFixture fixture) : IDisposable
{
    private static readonly Dictionary<string, string?> Settings = new() { ["Feedback:DriftMinCount"] = "1000000" };
    private readonly string _journal = Directory.CreateTempSubdirectory("routerfn-journal-").FullName;

    [Fact]
    public async Task The_same_message_delivered_three_times_is_stored_and_counted_once()
    {
        await using var app = await WorkersApp.StartAsync(fixture, Settings);
        var routed = await app.RouteAsync(ArcQuestions.Take(1)[0]);
        var id = IngestFeedbackContractTests.NewId();
        var body = IngestFeedbackContractTests.Event(id, routed.RequestId, 0);

        for (var delivery = 1; delivery <= 3; delivery++)
        {
            (await app.InvokeAsync("IngestFeedback", HostPayloads.Feedback(body, "msg-" + id, delivery))).AssertSucceeded();
        }

        // The producer sent it twice: another MessageId, the same event id.
        (await app.InvokeAsync("IngestFeedback", HostPayloads.Feedback(body, "msg-again-" + id, 1))).AssertSucceeded();

        Assert.Single(await app.StoredFeedbackAsync());
        await AssertCountedOnceAsync(app, [(routed, 0)]);
    }

    [Fact]
    public async Task A_handler_killed_mid_batch_and_restarted_counts_every_event_exactly_once()
    {
        var settings = new Dictionary<string, string?>(Settings) { ["Storage:LocalDirectory"] = _journal };
        var batch = new List<(string Id, Routed Request, double Score)>();
        var first = await WorkersApp.StartAsync(fixture, settings, services: s => s.AddSingleton<IStatsStore>(sp =>
            new DiesOnStatsUpdate(new TableStatsStore(sp.GetRequiredService<EntityTables>()[TableNames.Stats]), dieAt: 6)));
        await using (first)
        {
            var requests = new List<Routed>();
            foreach (var query in ArcQuestions.Take(3, skip: 10))
            {
                requests.Add(await first.RouteAsync(query));
            }

            batch.AddRange(Enumerable.Range(0, 10).Select(i => (IngestFeedbackContractTests.NewId(), requests[i % 3], i % 4 == 0 ? 1.0 : 0.0)));

            // Messages 1-5 complete; message 6 dies after its event is stored and before it is counted; 7-10 never arrive.
            for (var i = 0; i < 6; i++)
            {
                var result = await first.InvokeAsync("IngestFeedback", Message(batch[i], 1));
                Assert.True((i < 5) == (result.Status == System.Net.HttpStatusCode.OK), $"message {i + 1}: {(int)result.Status}");
            }

            Assert.Equal(6, (await first.StoredFeedbackAsync()).Count);
            Assert.Equal(5, (await first.StatsAsync()).Values.Sum(cells => cells.Sum(c => c.Count)), 9);
        }

        // A new process on the same durable store; the queue delivers the whole batch again.
        await using var second = await WorkersApp.StartAsync(fixture, settings);
        foreach (var message in batch)
        {
            (await second.InvokeAsync("IngestFeedback", Message(message, 2))).AssertSucceeded();
        }

        Assert.Equal(batch.Select(m => m.Id).Order(), (await second.StoredFeedbackAsync()).Select(e => e.Id).Order());
        await AssertCountedOnceAsync(second, [.. batch.Select(m => (m.Request, m.Score))]);
    }

    public void Dispose() => Directory.Delete(_journal, recursive: true);

    private static System.Text.Json.Nodes.JsonObject Message((string Id, Routed Request, double Score) m, int deliveryCount) =>
        HostPayloads.Feedback(IngestFeedbackContractTests.Event(m.Id, m.Request.RequestId, m.Score), "msg-" + m.Id, deliveryCount);

    /// <summary>
    /// The live statistics equal each event applied once: per (cluster, model), the sum of its decisions' cluster
    /// weights and the weighted mean of their scores, computed here from the decision log.
    /// </summary>
    private static async Task AssertCountedOnceAsync(WorkersApp app, IReadOnlyList<(Routed Request, double Score)> events)
    {
        var profile = app.Profile;
        var expected = new Dictionary<(int Cluster, int Model), (double Weight, double Scored)>();
        foreach (var (request, score) in events)
        {
            var decision = await app.Get<IDecisionLog>().GetAsync(request.RequestId, CancellationToken.None) ?? throw new InvalidOperationException("decision missing");
            foreach (var (cluster, weight) in decision.Clusters.Where(c => c.Weight > 0))
            {
                var key = (cluster, profile.IndexOf(decision.Model));
                var (w, s) = expected.GetValueOrDefault(key);
                expected[key] = (w + weight, s + (weight * score));
            }
        }

        var actual = await app.StatsAsync();
        var cells = actual.SelectMany(c => c.Value.Select((cell, m) => (Key: (c.Key, m), Cell: cell))).Where(c => c.Cell.Count > 0).ToDictionary(c => c.Key, c => c.Cell);
        Assert.Equal(expected.Keys.Order(), cells.Keys.Order());
        foreach (var (key, (weight, scored)) in expected)
        {
            Assert.Equal(weight, cells[key].Count, 9);
            Assert.Equal(scored / weight, cells[key].MeanScore, 9);
        }
    }

    /// <summary>The process dying between storing an event and counting it: the n-th stats update never happens.</summary>
    private sealed class DiesOnStatsUpdate(IStatsStore inner, int dieAt) : IStatsStore
    {
        private int _calls;

        public Task<StatsUpdate> ApplyAsync(int profileVersion, string eventId, IReadOnlyList<StatsContribution> contributions, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == dieAt
                ? throw new IOException("killed")
                : inner.ApplyAsync(profileVersion, eventId, contributions, cancellationToken);

        public Task<IReadOnlyDictionary<int, CellStats[]>> ReadAsync(int profileVersion, int clusters, int models, CancellationToken cancellationToken) =>
            inner.ReadAsync(profileVersion, clusters, models, cancellationToken);
    }
}
