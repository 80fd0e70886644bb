using System.Net;
using System.Net.Http.Json;
using System.Text;
using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Local.Tests.OpenAi;

/// <summary>
/// The Self-Healing Router through HTTP: a routed request whose model fails with 429/5xx is answered by the
/// next-ranked model within Failover:MaxAttempts (3 by default), each failure becoming 'failed' feedback on the request.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FailoverTests : IClassFixture<ChatAppFixture>
{
    private const int MaxAttempts = 3;

    private readonly ChatAppFixture _app;

    public FailoverTests(ChatAppFixture app)
    {
        _app = app;
        app.Backend.Reset();
    }

    [Fact]
    public async Task A_503_from_the_first_ranked_model_is_answered_by_the_second_and_recorded_as_failed_feedback_for_the_first()
    {
        const string question = "What is the boiling point of water at sea level in Fahrenheit?";
        var ranking = await _app.RankingAsync(question);
        var (first, second) = (ranking[0], ranking[1]);
        _app.Backend.Fail(first.Model, HttpStatusCode.ServiceUnavailable);

        var call = await _app.PostAsync(ChatAppFixture.Ask("router", question));

        call.AssertOk();
        Assert.Equal([first.Model, second.Model], _app.Backend.Asked);
        Assert.Equal(second.Model, call.Model);
        Assert.Equal(second.Model, call.Header("x-router-model"));
        Assert.Equal(ScriptedBackend.AnswerOf(second.Model), call.Content);
        // The predictions shown are those of the model that answered.
        Assert.Equal(second.PredictedQuality, ChatCompletionsTests.Predicted(call, "quality"), tolerance: 1e-4);
        Assert.Equal(second.PredictedCost, ChatCompletionsTests.Predicted(call, "cost"), tolerance: 1e-8);

        var requestId = call.Header("x-router-request-id")!;
        Assert.Equal(first.Model, (await _app.App.Get<IDecisionLog>().GetAsync(requestId, CancellationToken.None))?.Model);
        var failed = Assert.Single(await _app.FeedbackForAsync(requestId));
        AssertFailed(failed, requestId, first.Model, "http 503");
    }

    [Fact]
    public async Task Failover_moves_down_the_ranking_past_429_and_500_and_records_each_failure()
    {
        const string question = "Translate 'good morning' into Spanish.";
        var ranking = await _app.RankingAsync(question);
        _app.Backend.Fail(ranking[0].Model, HttpStatusCode.TooManyRequests);
        _app.Backend.Fail(ranking[1].Model, HttpStatusCode.InternalServerError);

        var call = await _app.PostAsync(ChatAppFixture.Ask("router", question));

        call.AssertOk();
        Assert.Equal(ranking.Take(3).Select(r => r.Model), _app.Backend.Asked);
        Assert.Equal(ranking[2].Model, call.Model);
        Assert.Equal(ranking[2].Model, call.Header("x-router-model"));
        var requestId = call.Header("x-router-request-id")!;
        var failed = (await _app.FeedbackForAsync(requestId)).OrderBy(e => e.Model == ranking[1].Model).ToList();
        Assert.Equal(2, failed.Count);
        AssertFailed(failed[0], requestId, ranking[0].Model, "http 429");
        AssertFailed(failed[1], requestId, ranking[1].Model, "http 500");
    }

    [Fact]
    public async Task When_every_model_answers_429_the_router_answers_429_after_the_bounded_attempts()
    {
        const string question = "Name the largest planet in the solar system.";
        var ranking = await _app.RankingAsync(question);
        foreach (var model in _app.Models)
        {
            _app.Backend.Fail(model, HttpStatusCode.TooManyRequests);
        }

        var call = await _app.PostAsync(ChatAppFixture.Ask("router", question));

        var problem = call.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal(ranking.Take(MaxAttempts).Select(r => r.Model), _app.Backend.Asked);
        var failed = await _app.FeedbackForAsync(call.Header("x-router-request-id")!);
        Assert.Equal(ranking.Take(MaxAttempts).Select(r => r.Model).Order(), failed.Select(f => f.Model!).Order());
        Assert.All(ranking.Take(MaxAttempts), r => Assert.Contains(r.Model, problem.GetProperty("detail").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_attempts_run_out_on_5xx_the_router_answers_503_and_never_asks_the_fourth_model()
    {
        const string question = "How many legs does a spider have?";
        var ranking = await _app.RankingAsync(question);
        foreach (var model in ranking.Take(MaxAttempts))
        {
            _app.Backend.Fail(model.Model, HttpStatusCode.BadGateway);
        }

        var call = await _app.PostAsync(ChatAppFixture.Ask("router", question));

        call.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(ranking.Take(MaxAttempts).Select(r => r.Model), _app.Backend.Asked);
        Assert.DoesNotContain(ranking[MaxAttempts].Model, _app.Backend.Asked);
    }

    [Fact]
    public async Task A_400_from_the_model_is_the_requests_fault_a_400_without_failover_or_failed_feedback()
    {
        const string question = "Summarise the plot of Hamlet in one sentence.";
        var ranking = await _app.RankingAsync(question);
        _app.Backend.Fail(ranking[0].Model, HttpStatusCode.BadRequest);
        var before = (await _app.App.StoredFeedbackAsync()).Count;

        var call = await _app.PostAsync(ChatAppFixture.Ask("router", question));

        call.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal([ranking[0].Model], _app.Backend.Asked);
        await TestApp.EventuallyAsync(() => Task.FromResult(_app.App.Get<RouterFunctions.Messaging.Local.LocalQueues>().Feedback.Pending == 0), "the feedback queue to drain");
        Assert.Equal(before, (await _app.App.StoredFeedbackAsync()).Count);
    }

    [Fact]
    public async Task A_stream_whose_first_ranked_model_answers_503_before_its_first_chunk_is_streamed_by_the_second()
    {
        const string question = "What is the chemical symbol for gold?";
        var ranking = await _app.RankingAsync(question);
        _app.Backend.Fail(ranking[0].Model, HttpStatusCode.ServiceUnavailable);

        var call = await _app.PostAsync(ChatAppFixture.Ask("router", question, stream: true));

        call.AssertOk();
        Assert.Equal("text/event-stream", call.MediaType);
        Assert.Equal([ranking[0].Model, ranking[1].Model], _app.Backend.Asked);
        Assert.Equal(ranking[1].Model, call.Header("x-router-model"));
        Assert.All(call.Chunks, c => Assert.Equal(ranking[1].Model, c.GetProperty("model").GetString()));
        Assert.Equal(ScriptedBackend.AnswerOf(ranking[1].Model), call.StreamedText);
        var requestId = call.Header("x-router-request-id")!;
        AssertFailed(Assert.Single(await _app.FeedbackForAsync(requestId)), requestId, ranking[0].Model, "http 503");
    }

    [Fact]
    public async Task A_stream_that_breaks_after_its_first_chunk_is_not_switched_to_another_model_and_the_break_is_recorded()
    {
        const string question = "Describe the water cycle in two sentences.";
        var ranking = await _app.RankingAsync(question);
        _app.Backend.BreakStreams(ranking[0].Model);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(ChatAppFixture.Ask("router", question, stream: true)) };
        using var response = await _app.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ranking[0].Model, Assert.Single(response.Headers.GetValues("x-router-model")));
        var requestId = Assert.Single(response.Headers.GetValues("x-router-request-id"));
        var received = new StringBuilder();
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
            while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                received.AppendLine(line);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The router aborts the response: the text already sent cannot be taken back or continued by another model.
        }

        Assert.Contains("\"content\":\"answer\"", received.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", received.ToString(), StringComparison.Ordinal);
        Assert.Equal([ranking[0].Model], _app.Backend.Asked);
        AssertFailed(Assert.Single(await _app.FeedbackForAsync(requestId)), requestId, ranking[0].Model, "transport");
    }

    [Fact]
    public async Task A_stream_that_every_model_throttles_is_a_429_problem_not_an_empty_stream()
    {
        foreach (var model in _app.Models)
        {
            _app.Backend.Fail(model, HttpStatusCode.TooManyRequests);
        }

        var call = await _app.PostAsync(ChatAppFixture.Ask("router", "Is a tomato a fruit?", stream: true));

        call.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal(MaxAttempts, _app.Backend.Asked.Count);
    }

    [Fact]
    public async Task A_refused_connection_to_the_first_ranked_model_fails_over_and_is_recorded_as_a_transport_failure()
    {
        const string question = "Who wrote Pride and Prejudice?";
        var ranking = await _app.RankingAsync(question);
        _app.Backend.Refuse(ranking[0].Model);

        var call = await _app.PostAsync(ChatAppFixture.Ask("router", question));

        call.AssertOk();
        Assert.Equal([ranking[0].Model, ranking[1].Model], _app.Backend.Asked);
        Assert.Equal(ranking[1].Model, call.Model);
        var requestId = call.Header("x-router-request-id")!;
        AssertFailed(Assert.Single(await _app.FeedbackForAsync(requestId)), requestId, ranking[0].Model, "transport");
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, false)]
    [InlineData(HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable, false)]
    [InlineData(HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, true)]
    public async Task A_passed_through_model_that_fails_is_not_failed_over_and_its_failure_keeps_its_meaning(HttpStatusCode backend, HttpStatusCode expected, bool stream)
    {
        var model = _app.Models[0];
        _app.Backend.Fail(model, backend);

        var call = await _app.PostAsync(ChatAppFixture.Ask(model, "What is 2 + 2?", stream));

        call.AssertProblem(expected);
        Assert.Equal([model], _app.Backend.Asked);
    }

    [Fact]
    public async Task A_passed_through_model_that_cannot_be_reached_is_a_503_not_a_router_failure()
    {
        var model = _app.Models[0];
        _app.Backend.Refuse(model);

        var call = await _app.PostAsync(ChatAppFixture.Ask(model, "What is 2 + 2?"));

        var problem = call.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Contains($"{model}: transport", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal([model], _app.Backend.Asked);
    }

    private static void AssertFailed(FeedbackEvent feedback, string requestId, string model, string reason)
    {
        Assert.Equal(requestId, feedback.RequestId);
        Assert.Equal(model, feedback.Model);
        Assert.Equal("failed", feedback.Verdict);
        Assert.Equal(0, feedback.Score);
        Assert.Equal("failover: " + reason, feedback.Source);
    }
}
