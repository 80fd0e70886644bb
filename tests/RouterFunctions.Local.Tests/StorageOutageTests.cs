using RouterFunctions.Application.Feedback;
using RouterFunctions.Testing;

namespace RouterFunctions.Local.Tests;

/// <summary>
/// The app on Azurite, and Azurite stopped mid-test: routing carries on from the last-known profile and says so;
/// ingestion fails so the queue redelivers; once Azurite is back the redelivered message is counted exactly once.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StorageOutageTests(RouterAppFixture fixture)
{
    [Fact]
    public async Task With_Azurite_hung_a_route_answers_within_its_budget_and_storage_is_reported_failing()
    {
        await using var azurite = await AzuriteProcess.TryStartAsync();
        if (azurite is null)
        {
            Assert.Skip("Azurite is not installed (.ci/run installs it).");
        }

        await using var app = await TestApp.StartAsync(fixture, new()
        {
            ["Storage:Mode"] = "Azure",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = "hung" + Guid.NewGuid().ToString("N")[..8],
        });
        var routed = await app.RouteAsync(ArcQuestions.Take(1, skip: 210)[0]);

        await azurite.PauseAsync();
        try
        {
            // Hung, a read of the shared embedding cache would wait for the client's network timeout (seconds, retried);
            // the route waits at most Storage:CacheReadTimeoutMs for it and never for the decision's write.
            foreach (var query in new[] { ArcQuestions.Take(1, skip: 211)[0], routed.Query, ArcQuestions.Take(1, skip: 212)[0], ArcQuestions.Take(1, skip: 213)[0] })
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var answer = await app.RouteAsync(query);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"a route took {clock.Elapsed.TotalMilliseconds:F0} ms with storage hung");
                Assert.Equal(1, answer.ProfileVersion);
            }

            await TestApp.EventuallyAsync(
                async () => !(await app.GetJsonAsync("/api/health")).GetProperty("storageReachable").GetBoolean(),
                "/api/health to report storage unreachable (the decisions' flush times out)",
                seconds: 60);
        }
        finally
        {
            await azurite.ResumeAsync();
        }

        // Back: the buffered decisions are written, and health recovers.
        await TestApp.EventuallyAsync(
            async () => (await app.GetJsonAsync("/api/health")).GetProperty("storageReachable").GetBoolean(),
            "/api/health to report storage reachable again",
            seconds: 60);
    }

    [Fact]
    public async Task With_Azurite_stopped_routing_carries_on_and_ingestion_retries_until_it_is_back_losing_nothing()
    {
        await using var azurite = await AzuriteProcess.TryStartAsync();
        if (azurite is null)
        {
            Assert.Skip("Azurite is not installed (.ci/run installs it).");
        }

        await using var app = await TestApp.StartAsync(fixture, new()
        {
            ["Storage:Mode"] = "Azure",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = "outage" + Guid.NewGuid().ToString("N")[..8],
            ["Storage:ProfilePollSeconds"] = "0.2",
            ["Feedback:ParkAfterDeliveries"] = "3",
            ["Feedback:DriftMinCount"] = "1000000",
        });
        var routed = await app.RouteAsync(ArcQuestions.Take(1, skip: 200)[0]);
        Assert.Equal(("ok", 1), (routed.Storage, routed.ProfileVersion));

        // Azurite keeps its tables in memory and saves them every 5 s; StopAsync kills it (no save on exit), so wait for a save or the outage becomes a wipe.
        await Task.Delay(TimeSpan.FromSeconds(6));
        await azurite.StopAsync();
        await TestApp.EventuallyAsync(
            async () => !(await app.GetJsonAsync("/api/health")).GetProperty("storageReachable").GetBoolean(),
            "/api/health to report storage unreachable");

        // A query never seen before (no cached embedding) and the one routed before both answer from the last-known profile.
        var fresh = await app.RouteAsync(ArcQuestions.Take(1, skip: 201)[0]);
        var again = await app.RouteAsync(routed.Query);
        Assert.Equal(("unreachable", 1), (fresh.Storage, fresh.ProfileVersion));
        Assert.Equal(("unreachable", 1, routed.Model), (again.Storage, again.ProfileVersion, again.Model));
        var health = await app.GetJsonAsync("/api/health");
        Assert.Equal("ready", health.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(health.GetProperty("storageError").GetString()));

        // Every delivery fails while storage is down, even at the park threshold: the message can be neither stored nor
        // parked, so the consumer throws and the queue (the dispatcher locally, Service Bus deployed) redelivers it.
        var id = TestApp.NewId();
        var body = TestApp.FeedbackEventJson(id, routed.RequestId, 0);
        for (var delivery = 1; delivery <= 3; delivery++)
        {
            var attempt = delivery;
            await Assert.ThrowsAnyAsync<Exception>(() => app.IngestAsync(body, "msg-" + id, attempt));
        }

        await azurite.StartAsync();
        Assert.Equal(IngestResult.Counted, await app.IngestAsync(body, "msg-" + id, 4));
        Assert.Equal(IngestResult.Duplicate, await app.IngestAsync(body, "msg-" + id, 5)); // at least once

        var stored = Assert.Single(await app.StoredFeedbackAsync());
        Assert.Equal((id, routed.RequestId), (stored.Id, stored.RequestId));
        Assert.Equal(1, await app.CountAsync(routed.Model), 9);
        Assert.Empty(await app.ParkedAsync());
        await TestApp.EventuallyAsync(
            async () => (await app.GetJsonAsync("/api/health")).GetProperty("storageReachable").GetBoolean(),
            "/api/health to report storage reachable again",
            seconds: 60);
        Assert.Equal("ok", (await app.RouteAsync(routed.Query)).Storage);
    }
}
