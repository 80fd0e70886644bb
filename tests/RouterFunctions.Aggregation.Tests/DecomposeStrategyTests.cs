using static RouterFunctions.Aggregation.Tests.Fixture;

namespace RouterFunctions.Aggregation.Tests;

public class DecomposeStrategyTests
{
    [Fact]
    public void Plan_lines_are_split_on_the_first_colon_with_list_markers_fences_and_think_tolerated()
    {
        var plan = DecomposeStrategy.ParsePlan(
            "<think>two parts</think>\n```\n1. alpha: Which film won Best Picture in 1998?\n\n- <search>beta: At 3:30, who directed Titanic?</search>\n```");

        Assert.True(plan.IsValid);
        Assert.Equal(
            [new SearchRequest("alpha", "Which film won Best Picture in 1998?"), new SearchRequest("beta", "At 3:30, who directed Titanic?")],
            plan.Items);
    }

    [Theory]
    [InlineData("Here is my plan", "plan line 1 (\"Here is my plan\") has no colon")]
    [InlineData("alpha: a\nthen ask beta", "plan line 2 (\"then ask beta\") has no colon")]
    [InlineData("alpha: ", "plan line 1 (\"alpha:\") has no sub-question after the colon")]
    [InlineData("a: 1\nb: 2\nc: 3\nd: 4\ne: 5", "the plan has 5 lines; write at most 4")]
    [InlineData("  \n<think>nothing</think>", "the plan is empty")]
    [InlineData("<answer>Paris</answer>", "contains <answer>")]
    public void A_malformed_plan_is_a_format_error(string text, string expected)
    {
        var plan = DecomposeStrategy.ParsePlan(text);

        Assert.False(plan.IsValid);
        Assert.Contains(expected, plan.Error, StringComparison.Ordinal);
        Assert.Empty(plan.Items);
    }

    [Fact]
    public void Plan_then_parallel_calls_then_one_aggregating_call()
    {
        var (job, ask) = AggregationMachine.Start("d", "Who directed the film that won Best Picture in 1998?", Pool, Options, AggregationStrategy.Decompose);

        Assert.Equal(new AskRouter("d:1:router", RouterPromptKind.Plan, null), ask);
        Assert.Equal(AggregationPrompts.DecomposeSystem, job.Transcript[0].Text);
        Assert.EndsWith("Reply with the plan only: 1 to 4 lines, each ModelName: sub-question.", LastPrompt(job), StringComparison.Ordinal);

        // Plan: 1000 × 0.5 + 100 × 1.5 per 1M = 0.00065.
        var calls = Assert.IsType<CallModels>(AggregationMachine.OnRouterTurn(job, ask.CallId,
            "alpha: Which film won Best Picture in 1998?\nbeta: Who directed Titanic (1997)?", new TokenUsage(1000, 100)));

        Assert.Equal(
            [new PoolCall("d:1:0", "alpha", "Which film won Best Picture in 1998?"), new PoolCall("d:1:1", "beta", "Who directed Titanic (1997)?")],
            calls.Calls);

        // alpha 0.0003, beta 0.006, in reverse order.
        Assert.Equal(new AwaitResults(1), AggregationMachine.OnCallResult(job, "d:1:1", "James Cameron", new TokenUsage(300, 100)));
        var aggregate = Assert.IsType<AskRouter>(AggregationMachine.OnCallResult(job, "d:1:0", "Titanic", new TokenUsage(200, 50)));

        Assert.Equal(new AskRouter("d:2:router", RouterPromptKind.Aggregate, null), aggregate);
        Assert.Equal(
            "<information>\nalpha: Which film won Best Picture in 1998?\nTitanic\n</information>\n" +
            "<information>\nbeta: Who directed Titanic (1997)?\nJames Cameron\n</information>\n\n" +
            "Routing is disabled: no more model calls. Budget left: $0.993050 of $1.000000 (spent $0.006950).\n" +
            "Using the information above, answer the original question: " +
            "Who directed the film that won Best Picture in 1998?\nReply with your final answer inside <answer> ... </answer>.",
            LastPrompt(job));

        // Aggregate: 2000 × 0.5 + 20 × 1.5 = 0.00103. Total 0.00065 + 0.0003 + 0.006 + 0.00103 = 0.00798.
        var done = AggregationMachine.OnRouterTurn(job, aggregate.CallId, "<answer>James Cameron</answer>", new TokenUsage(2000, 20));

        Assert.Equal(new Done("James Cameron", true), done);
        Assert.Equal(
            new AggregationSummary("d", AggregationStrategy.Decompose, AggregationStatus.Done, "James Cameron",
                FormatValid: true, FormatErrors: 0, RouterCalls: 2, PoolCalls: 2, Rounds: 1, Spent: 0.00798m, Budget: 1m),
            job.Summary());
    }

    [Fact]
    public async Task A_four_line_plan_is_at_most_six_calls()
    {
        var router = new ScriptedChatClient(("alpha: a\nbeta: b\nalpha: c\nbeta: d", 10, 10), ("<answer>abcd</answer>", 10, 10));
        var pool = new ScriptedChatClient(_ => ("x", 1, 1));
        var (job, ask) = AggregationMachine.Start("d", "q", Pool, Options, AggregationStrategy.Decompose);

        await AggregationRunner.RunAsync(job, ask, router, _ => pool, TestContext.Current.CancellationToken);

        Assert.Equal("abcd", job.Answer);
        Assert.Equal(6, job.Summary().RouterCalls + job.Summary().PoolCalls);
        Assert.Equal(4, pool.Received.Count);
    }

    [Fact]
    public void A_malformed_plan_is_reprompted_once_then_the_router_must_answer_directly()
    {
        var (job, ask) = AggregationMachine.Start("d", "Capital of France?", Pool, Options, AggregationStrategy.Decompose);

        var reprompt = Assert.IsType<AskRouter>(AggregationMachine.OnRouterTurn(job, ask.CallId, "Here is my plan", new TokenUsage(10, 10)));

        Assert.Equal(RouterPromptKind.Reprompt, reprompt.Kind);
        Assert.Equal("plan line 1 (\"Here is my plan\") has no colon; write Model: sub-question", reprompt.Reason);
        Assert.StartsWith("Format error: plan line 1", LastPrompt(job), StringComparison.Ordinal);
        Assert.EndsWith("Reply with the plan only: 1 to 4 lines, each ModelName: sub-question.", LastPrompt(job), StringComparison.Ordinal);

        var forced = Assert.IsType<AskRouter>(AggregationMachine.OnRouterTurn(job, reprompt.CallId, "a: 1\nb: 2\nc: 3\nd: 4\ne: 5", new TokenUsage(10, 10)));

        Assert.Equal(new AskRouter("d:3:router", RouterPromptKind.ForceAnswer, "the reply format was wrong 2 times"), forced);
        Assert.Contains("Format error: the plan has 5 lines; write at most 4.", LastPrompt(job), StringComparison.Ordinal);
        Assert.Contains("Routing is disabled", LastPrompt(job), StringComparison.Ordinal);

        Assert.Equal(new Done("Paris", false), AggregationMachine.OnRouterTurn(job, forced.CallId, "<answer>Paris</answer>", new TokenUsage(10, 10)));
        Assert.Equal(0, job.PoolCallsMade);
        Assert.Equal(2, job.FormatErrors);
    }

    [Fact]
    public void A_plan_line_naming_an_unknown_model_is_information_not_a_format_error()
    {
        var (job, ask) = AggregationMachine.Start("d", "q", Pool, Options, AggregationStrategy.Decompose);

        var calls = Assert.IsType<CallModels>(AggregationMachine.OnRouterTurn(job, ask.CallId, "gamma: a\nbeta: b", new TokenUsage(10, 10)));
        Assert.Equal(["d:1:1"], calls.Calls.Select(c => c.CallId));
        Assert.IsType<AskRouter>(AggregationMachine.OnCallResult(job, "d:1:1", "B", new TokenUsage(1, 1)));

        Assert.StartsWith("<information>\ngamma: a\n(No call was made: there is no model named \"gamma\"", LastPrompt(job), StringComparison.Ordinal);
        Assert.True(job.FormatValid);
    }
}
