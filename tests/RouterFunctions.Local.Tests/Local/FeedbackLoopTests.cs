using System.Net.Http.Json;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Local.Tests.Local;

/// <summary>
/// Local mode end to end: POST /api/feedback → the in-process feedback queue → IngestFeedback → the volume threshold
/// emits a retrain message → the retrain queue → RetrainProfiles publishes → the router swaps profiles.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FeedbackLoopTests(RouterAppFixture fixture)
{
    private const int Events = 48;

    [Fact]
    public async Task Feedback_that_makes_the_chosen_model_look_worse_changes_the_next_routing_decision_within_one_retrain()
    {
        await using var app = await TestApp.StartAsync(
            fixture,
            new()
            {
                ["Feedback:RetrainAfterEvents"] = Events.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Feedback:DriftMinCount"] = "1000000", // only the volume threshold asks, once, at the last event
                ["Feedback:HeldOutRatio"] = "0.3",
                ["Feedback:MinHeldOut"] = "2",
            },
            seed: true);

        // Queries of one kind: the ARC questions routed to the commonest (model, cluster); feedback on six of them.
        var routed = new List<Routed>();
        foreach (var query in ArcQuestions.Take(24, skip: 40))
        {
            routed.Add(await app.RouteAsync(query));
        }

        var cluster = routed.GroupBy(r => (r.Model, r.Cluster)).MaxBy(g => g.Count())!.ToList();
        var (model, graded, unseen) = (cluster[0].Model, cluster.Take(6).ToList(), cluster.Skip(6).ToList());
        Assert.True(graded.Count == 6 && unseen.Count >= 3, $"only {cluster.Count} of {routed.Count} ARC questions share a model and cluster");

        // Users say that model failed on them (each event with its own key: the same body again would be a resend).
        for (var i = 0; i < Events; i++)
        {
            using var response = await app.Client.PostAsJsonAsync("/api/feedback", new { requestId = graded[i % graded.Count].RequestId, score = 0, id = $"loop-{i}" });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        var queues = app.Get<LocalQueues>();
        await TestApp.EventuallyAsync(
            async () => queues.Feedback.Pending == 0 && queues.Retrain.Pending == 0 && (await app.RetrainsAsync()).Count > 0,
            "the feedback and retrain queues to drain",
            seconds: 60);

        // One retrain, asked for by the volume threshold through the retrain queue, published.
        var outcome = Assert.Single(await app.RetrainsAsync());
        Assert.StartsWith($"volume: {Events} feedback events on profile v1", outcome.Reason, StringComparison.Ordinal);
        Assert.True(outcome.PublishedVersion == 2, outcome.Why);
        Assert.True(outcome.CandidateScore >= outcome.CurrentScore, outcome.Why);
        Assert.Equal(Events, (await app.StoredFeedbackAsync()).Count);
        Assert.Empty(queues.Feedback.DeadLetters);
        Assert.Empty(await app.ParkedAsync());
        Assert.Equal(2, (await app.GetJsonAsync("/api/profiles/current")).GetProperty("version").GetInt32());
        Assert.StartsWith("published", (await app.GetJsonAsync("/api/retrains"))[0].GetProperty("why").GetString(), StringComparison.Ordinal);

        // The graded queries go elsewhere now, and so do (nearly all) the cluster's queries nobody graded.
        foreach (var before in graded)
        {
            var after = await app.RouteAsync(before.Query);
            Assert.Equal(2, after.ProfileVersion);
            Assert.NotEqual(model, after.Model);
        }

        var moved = 0;
        foreach (var before in unseen)
        {
            moved += (await app.RouteAsync(before.Query)).Model != model ? 1 : 0;
        }

        Assert.True(moved * 4 >= unseen.Count * 3, $"only {moved} of {unseen.Count} other queries of the cluster left {model}");
    }
}
