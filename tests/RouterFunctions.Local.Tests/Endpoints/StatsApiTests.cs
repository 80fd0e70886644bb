using System.Net;
using System.Net.Http.Json;
using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Local.Tests.Endpoints;

/// <summary>GET /api/stats shows where feedback got to: received, counted, parked per model, resends and the ingestion lag.</summary>
[Collection(AppCollection.Name)]
public sealed class StatsApiTests(RouterAppFixture fixture)
{
    [Fact]
    public async Task Stats_show_received_counted_parked_per_model_resends_and_lag_of_the_last_day_only()
    {
        await using var app = await TestApp.StartAsync(fixture, new()
        {
            ["Feedback:RetrainAfterEvents"] = "1000000",
            ["Feedback:DriftMinCount"] = "1000000",
        });
        var routed = new[] { await app.RouteAsync("What is 17 times 23?"), await app.RouteAsync("Write a Python function that reverses a list.") };
        foreach (var r in routed.Append(routed[0]))
        {
            using var response = await app.Client.PostAsJsonAsync("/api/feedback", new { requestId = r.RequestId, score = 1.0 });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // An event from two days ago is history: the stats read only the last day's partitions.
        var decision = (await app.Get<IDecisionLog>().GetAsync(routed[0].RequestId, CancellationToken.None))!;
        await app.Get<IFeedbackStore>().TryAddAsync(new FeedbackEvent("old", routed[0].RequestId, 1, null, decision.Model, null, null, null, DateTimeOffset.UtcNow.AddDays(-2)), CancellationToken.None);
        var expired = RequestIds.New(DateTimeOffset.UtcNow.AddDays(-30));
        Assert.Equal(Application.Feedback.IngestResult.Parked, await app.IngestAsync(TestApp.FeedbackEventJson("e-expired", expired, 0, model: "some-model"), "e-expired", 1));
        await app.QueuesSettledAsync();

        var feedback = (await app.GetJsonAsync("/api/stats")).GetProperty("feedback");

        Assert.Equal(2, feedback.GetProperty("received").GetInt64());
        Assert.Equal(24, feedback.GetProperty("windowHours").GetInt32());
        Assert.False(feedback.GetProperty("windowTruncated").GetBoolean());
        var receivedByModel = feedback.GetProperty("receivedByModel").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(routed.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => (long)g.Count()), receivedByModel);
        Assert.Equal(2, feedback.GetProperty("counted").GetDouble(), 6);
        Assert.Equal(receivedByModel.Keys.Order(), feedback.GetProperty("countedByModel").EnumerateObject().Select(p => p.Name).Order());
        Assert.NotEmpty(feedback.GetProperty("countedByCluster").EnumerateArray());
        Assert.Equal(1, feedback.GetProperty("duplicates").GetInt64());
        Assert.Equal(1, feedback.GetProperty("parked").GetInt64());
        Assert.Equal(1, feedback.GetProperty("parkedByModel").GetProperty("some-model").GetInt64());
        var lag = feedback.GetProperty("lag");
        Assert.Equal(2, lag.GetProperty("sample").GetInt32());
        Assert.InRange(lag.GetProperty("meanSeconds").GetDouble(), 0, 30);
        Assert.InRange(lag.GetProperty("maxSeconds").GetDouble(), lag.GetProperty("meanSeconds").GetDouble(), 30);
        Assert.Equal(0, lag.GetProperty("pending").GetInt64());
        Assert.Equal("decision expired", Assert.Single(await app.ParkedAsync()).Error);
    }
}
