using static RouterFunctions.Aggregation.Tests.Fixture;

namespace RouterFunctions.Aggregation.Tests;

public class RedeliveryAndJsonTests
{
    [Fact]
    public void A_redelivered_call_result_is_ignored_and_not_paid_twice()
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options);
        AggregationMachine.OnRouterTurn(job, ask.CallId, "<search>alpha: a</search><search>beta: b</search>", new TokenUsage(1000, 100));
        Assert.Equal(new AwaitResults(1), AggregationMachine.OnCallResult(job, "j:1:0", "A", new TokenUsage(200, 50)));
        var before = AggregationJson.Serialize(job);

        var again = AggregationMachine.OnCallResult(job, "j:1:0", "A (second delivery)", new TokenUsage(200, 50));

        Assert.Equal(new Ignored("pool call j:1:0 is already recorded (Answered)"), again);
        Assert.Equal(before, AggregationJson.Serialize(job));
        Assert.Equal(0.00065m + 0.0003m, job.Spent);

        Assert.IsType<AskRouter>(AggregationMachine.OnCallResult(job, "j:1:1", "B", new TokenUsage(300, 100)));
        var asked = AggregationJson.Serialize(job);

        // Late redeliveries after the fan-in change nothing either, and do not trigger a second router turn.
        Assert.IsType<Ignored>(AggregationMachine.OnCallResult(job, "j:1:1", "B", new TokenUsage(300, 100)));
        Assert.IsType<Ignored>(AggregationMachine.OnCallFailed(job, "j:1:0", "timeout"));
        Assert.IsType<Ignored>(AggregationMachine.OnCallResult(job, "j:9:0", "?", null));
        Assert.Equal(asked, AggregationJson.Serialize(job));
        Assert.Equal(0.00065m + 0.0003m + 0.006m, job.Spent);
    }

    [Fact]
    public void A_redelivered_router_reply_is_ignored_and_not_paid_twice()
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options);
        AggregationMachine.OnRouterTurn(job, ask.CallId, "<search>alpha: a</search>", new TokenUsage(1000, 100));
        var before = AggregationJson.Serialize(job);

        var again = AggregationMachine.OnRouterTurn(job, ask.CallId, "<search>alpha: a</search>", new TokenUsage(1000, 100));

        Assert.Equal(new Ignored("router call j:1:router is already recorded"), again);
        Assert.Equal(before, AggregationJson.Serialize(job));
        Assert.IsType<Ignored>(AggregationMachine.OnRouterTurn(job, "j:2:router", "<answer>early</answer>", new TokenUsage(1, 1)));
        Assert.Equal(0.00065m, job.Spent);
    }

    [Fact]
    public void Call_ids_are_deterministic_so_a_replayed_job_asks_for_the_same_calls()
    {
        static CallModels FirstRound()
        {
            var (job, ask) = AggregationMachine.Start("job-7", "q", Pool, Options);
            return Assert.IsType<CallModels>(AggregationMachine.OnRouterTurn(job, ask.CallId, "<search>alpha: a</search><search>beta: b</search>", new TokenUsage(1, 1)));
        }

        Assert.Equal(FirstRound().Calls, FirstRound().Calls);
        Assert.Equal(["job-7:1:0", "job-7:1:1"], FirstRound().Calls.Select(c => c.CallId));
        Assert.Equal("job-7:2:router", CallIds.Router("job-7", 2));
    }

    [Fact]
    public void A_job_saved_and_loaded_mid_flight_continues_identically()
    {
        var (job, ask) = AggregationMachine.Start("j", "Who directed the 1998 Best Picture?", Pool, Options with { MaxRoutingTurns = 3 });
        AggregationMachine.OnRouterTurn(job, ask.CallId,
            "<think>t</think><search>alpha: Best Picture 1998?</search><search>nobody: x</search><search>beta: director of it?</search>", new TokenUsage(1000, 100));
        AggregationMachine.OnCallResult(job, "j:1:0", "Titanic", new TokenUsage(200, 50));

        var json = AggregationJson.Serialize(job);
        var copy = AggregationJson.Deserialize(json);

        Assert.Equal(json, AggregationJson.Serialize(copy));
        Assert.Equal(AggregationStatus.AwaitingCalls, copy.Status);
        Assert.Contains("\"status\":\"AwaitingCalls\"", json, StringComparison.Ordinal);
        Assert.Equal(new CallModels([new PoolCall("j:1:2", "beta", "director of it?")]).Calls, Assert.IsType<CallModels>(AggregationMachine.Resume(copy)).Calls);

        static IReadOnlyList<AggregationStep> Continue(AggregationJob j) =>
        [
            AggregationMachine.OnCallResult(j, "j:1:2", "James Cameron", new TokenUsage(300, 100)),
            AggregationMachine.OnRouterTurn(j, "j:2:router", "<search>beta: confirm: Cameron?</search>", new TokenUsage(1500, 80)),
            AggregationMachine.OnCallResult(j, "j:2:0", "Yes", null),
            AggregationMachine.OnRouterTurn(j, "j:3:router", "<answer>James Cameron</answer>", new TokenUsage(2000, 20)),
        ];

        var original = Continue(job);
        var restored = Continue(copy);

        Assert.Equal(original.Select(s => s.ToString()), restored.Select(s => s.ToString()));
        Assert.Equal(new Done("James Cameron", true), restored[^1]);
        Assert.Equal(AggregationJson.Serialize(job), AggregationJson.Serialize(copy));
        Assert.Equal(job.Summary(), copy.Summary());
        Assert.Equal(job.Spent, copy.Spent);
    }

    [Fact]
    public void Resume_returns_the_step_the_job_is_at()
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options);
        Assert.Equal(ask, AggregationMachine.Resume(job));

        AggregationMachine.OnRouterTurn(job, ask.CallId, "<answer>a</answer>", new TokenUsage(1, 1));

        Assert.Equal(new Done("a", true), AggregationMachine.Resume(AggregationJson.Deserialize(AggregationJson.Serialize(job))));
    }
}
