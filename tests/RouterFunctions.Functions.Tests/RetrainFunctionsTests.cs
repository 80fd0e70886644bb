using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Time.Testing;
using RouterFunctions.Messaging;

namespace RouterFunctions.Functions.Tests;

/// <summary>POST /api/retrain, GET /api/retrains and the nightly timer, through <see cref="RetrainFunctions"/>.</summary>
public sealed class RetrainFunctionsTests(FunctionsFixture fixture)
{
    [Fact]
    public async Task A_retrain_now_answers_its_outcome_and_the_list_shows_it()
    {
        // An app of its own: the outcome must be this test's, and the shared app's profile must not change.
        await using var app = await FunctionsApp.StartAsync(fixture.ProfilePath);
        var functions = app.Function<RetrainFunctions>();
        using var retrain = HttpCall.Post(app, "/api/retrain", new { });
        var outcome = (await retrain.AnswerAsync(await functions.RunNowAsync(retrain.Request, TestContext.Current.CancellationToken))).AssertJson(200);

        Assert.Equal("requested over HTTP", outcome.GetProperty("reason").GetString());
        // The profile came from a file, without seed examples, and this app stores no feedback: nothing to train on.
        Assert.StartsWith("kept:", outcome.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, outcome.GetProperty("publishedVersion").ValueKind);
        Assert.Equal("NaN", outcome.GetProperty("candidateScore").GetString());

        using var list = HttpCall.Get(app, "/api/retrains");
        var listed = (await list.AnswerAsync(await functions.ListAsync(list.Request, TestContext.Current.CancellationToken))).AssertJson(200);
        Assert.Equal([outcome.GetProperty("id").GetString()], listed.EnumerateArray().Select(o => o.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task The_timer_sends_one_retrain_request_keyed_by_the_utc_day()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 4, 3, 0, 0, TimeSpan.Zero));
        await using var app = await FunctionsApp.StartAsync(fixture.ProfilePath, time: time);
        var functions = app.Function<RetrainFunctions>();

        await functions.ScheduleAsync(new TimerInfo(), TestContext.Current.CancellationToken);

        var message = Assert.Single(app.Sent(QueueNames.Retrain));
        Assert.Equal("retrain-schedule-20250304", message.MessageId);
        Assert.Equal("retrain", message.Subject);
        Assert.Equal("application/json", message.ContentType);
        var body = JsonDocument.Parse(message.Body.ToString()).RootElement;
        Assert.Equal("schedule", body.GetProperty("reason").GetString());
        Assert.Equal(app.Get<Application.ProfileHolder>().Current!.Profile.Version, body.GetProperty("profileVersion").GetInt32());

        // A second firing the same day is the same message (the queue drops it); the next day's is new.
        await functions.ScheduleAsync(new TimerInfo(), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromDays(1));
        await functions.ScheduleAsync(new TimerInfo(), TestContext.Current.CancellationToken);
        Assert.Equal(
            ["retrain-schedule-20250304", "retrain-schedule-20250304", "retrain-schedule-20250305"],
            app.Sent(QueueNames.Retrain).Select(m => m.MessageId));
    }
}
