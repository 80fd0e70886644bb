using System.Text.Json;
using RouterFunctions.Core.Data;

namespace RouterFunctions.Workers.Tests.Functions;

/// <summary>The retrain's gate: a candidate is published only if it predicts the held-out feedback at least as well.</summary>
[Collection(WorkersCollection.Name)]
public sealed class RetrainRunnerTests(WorkersFixture fixture)
{
    private const double HeldOutRatio = 0.2;

    [Fact]
    public async Task A_retrain_that_would_lower_held_out_quality_is_not_published()
    {
        await using var app = await WorkersApp.StartAsync(
            fixture,
            new() { ["Feedback:HeldOutRatio"] = "0.2", ["Feedback:MinHeldOut"] = "10", ["Feedback:DriftMinCount"] = "1000000" },
            seed: true);
        var routed = new List<Routed>();
        foreach (var query in ArcQuestions.Take(6))
        {
            routed.Add(await app.RouteAsync(query));
        }

        // Event ids the retrain will train on say each routed model failed; the ids it holds out say the same
        // models succeeded on the same queries. A candidate that learns the training share predicts the held-out worse.
        var train = Ids(DatasetSplit.Train).Take(30).ToList();
        var heldOut = Ids(DatasetSplit.Test).Take(12).ToList();
        var events = train.Select((id, i) => (id, routed[i % routed.Count], 0.0))
            .Concat(heldOut.Select((id, i) => (id, routed[i % routed.Count], 1.0)));
        foreach (var (id, request, score) in events)
        {
            (await app.InvokeAsync("IngestFeedback", HostPayloads.Feedback(IngestFeedbackContractTests.Event(id, request.RequestId, score), "msg-" + id, 1))).AssertSucceeded();
        }

        // The retrain the volume threshold or the schedule would ask for, as the host delivers it from the retrain queue.
        var retrain = """{"reason":"requested","profileVersion":1}""";
        var outcome = (await app.InvokeAsync("RetrainProfiles", HostPayloads.ServiceBus("RetrainProfiles", retrain, "retrain-gate", "1"))).AssertSucceeded().ReturnValue;

        Assert.Equal(JsonValueKind.Null, outcome.GetProperty("publishedVersion").ValueKind);
        Assert.StartsWith("kept: the candidate is worse", outcome.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Equal(12, outcome.GetProperty("heldOutEvents").GetInt32());
        var (current, candidate) = (outcome.GetProperty("currentScore").GetDouble(), outcome.GetProperty("candidateScore").GetDouble());
        Assert.True(candidate < current, $"candidate {candidate} vs current {current}");
        Assert.InRange(current, 0, 1);
        Assert.InRange(candidate, 0, 1);

        // Nothing changed for the routers, and the record keeps both scores.
        Assert.Equal(1, await app.CurrentVersionAsync());
        Assert.Equal(1, (await app.RouteAsync(routed[0].Query)).ProfileVersion);
        var recorded = Assert.Single(await app.RetrainsAsync());
        Assert.Equal(outcome.GetProperty("id").GetString(), recorded.Id);
        Assert.Equal((current, candidate), (recorded.CurrentScore, recorded.CandidateScore));
    }

    private static IEnumerable<string> Ids(string split) =>
        Enumerable.Range(0, 10_000).Select(i => $"gate-event-{i}").Where(id => DatasetSplit.ForId(id, HeldOutRatio) == split);
}
