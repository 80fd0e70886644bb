namespace RouterFunctions.Aggregation.Tests;

public class BudgetTests
{
    // Estimates: a call is 500 tokens in and 500 out (the pool output cap); cheap = 1000 × $1 / 1M = $0.001,
    // dear = 1000 × $100 / 1M = $0.1. A router turn is 100 tokens out at $10 / 1M = $0.001 (input is free here, so the
    // transcript's length does not matter).
    private static readonly PoolModel Cheap = new() { Name = "cheap", InputPricePerMillion = 1m, OutputPricePerMillion = 1m };
    private static readonly PoolModel Dear = new() { Name = "dear", InputPricePerMillion = 100m, OutputPricePerMillion = 100m };

    private static AggregationOptions Options(decimal budget) => new()
    {
        Budget = budget,
        EstimatedCallInputTokens = 500,
        PoolMaxOutputTokens = 500,
        RouterInputPricePerMillion = 0m,
        RouterOutputPricePerMillion = 10m,
        EstimatedRouterOutputTokens = 100,
    };

    [Fact]
    public void Calls_the_budget_cannot_cover_are_not_made_and_the_router_is_forced_to_answer()
    {
        // Start: this turn 0.001 + cheapest call 0.001 + a final turn 0.001 = 0.003 ≤ 0.0045: routing allowed.
        var (job, ask) = AggregationMachine.Start("j", "q", [Cheap, Dear], Options(0.0045m));
        Assert.Equal(RouterPromptKind.Route, ask.Kind);

        // The turn costs 100 × $10 / 1M = 0.001: 0.0035 left. Each search needs the calls admitted so far, itself and
        // one more router turn (0.001): #0 cheap 0 + 0.001 + 0.001 = 0.002 fits; #1 dear 0.001 + 0.1 + 0.001 does not;
        // #2 cheap 0.001 + 0.001 + 0.001 = 0.003 fits; #3 cheap 0.002 + 0.001 + 0.001 = 0.004 does not.
        var step = AggregationMachine.OnRouterTurn(job, ask.CallId,
            "<search>cheap: a</search><search>dear: b</search><search>cheap: c</search><search>cheap: d</search>", new TokenUsage(400, 100));

        Assert.Equal(["j:1:0", "j:1:2"], Assert.IsType<CallModels>(step).Calls.Select(c => c.CallId));
        Assert.Equal(
            [PoolCallStatus.Pending, PoolCallStatus.OverBudget, PoolCallStatus.Pending, PoolCallStatus.OverBudget],
            job.PoolCalls.Select(c => c.Status));
        Assert.True(job.BudgetExhausted);

        AggregationMachine.OnCallResult(job, "j:1:0", "A", new TokenUsage(500, 500));
        step = AggregationMachine.OnCallResult(job, "j:1:2", "C", new TokenUsage(500, 500));

        Assert.Equal(new AskRouter("j:2:router", RouterPromptKind.ForceAnswer, "the budget left cannot cover another model call"), step);
        var prompt = Fixture.LastPrompt(job);
        Assert.Contains("dear: b\n(No call was made: it would cost about $0.100000 and the budget left, $0.002500, must also pay for your final answer.)", prompt, StringComparison.Ordinal);
        Assert.Contains("cheap: d\n(No call was made: it would cost about $0.001000 and the budget left, $0.001500,", prompt, StringComparison.Ordinal);
        Assert.Contains("Routing is disabled (the budget left cannot cover another model call)", prompt, StringComparison.Ordinal);
        Assert.Equal(0.003m, job.Spent);

        // The final turn: 50 × $10 / 1M = 0.0005; 0.0035 in all, within 0.0045.
        Assert.Equal(new Done("A and C", true), AggregationMachine.OnRouterTurn(job, "j:2:router", "<answer>A and C</answer>", new TokenUsage(0, 50)));
        Assert.Equal(0.0035m, job.Spent);
        Assert.Equal(2, job.PoolCallsMade);
        Assert.DoesNotContain(job.PoolCalls, c => c.Model == "dear" && c.IsCall);
    }

    [Fact]
    public void A_budget_too_small_for_any_call_forces_the_answer_on_the_first_turn()
    {
        // 0.001 + 0.001 + 0.001 = 0.003 > 0.0029.
        var (job, ask) = AggregationMachine.Start("j", "q", [Cheap, Dear], Options(0.0029m));

        Assert.Equal(new AskRouter("j:1:router", RouterPromptKind.ForceAnswer, "the budget left cannot cover another model call"), ask);
        Assert.Contains("Budget left: $0.002900", Fixture.LastPrompt(job), StringComparison.Ordinal);
        Assert.Equal(new Done("x", true), AggregationMachine.OnRouterTurn(job, ask.CallId, "<answer>x</answer>", new TokenUsage(0, 100)));
    }

    [Fact]
    public void Exactly_enough_budget_allows_routing()
    {
        var (_, ask) = AggregationMachine.Start("j", "q", [Cheap, Dear], Options(0.003m));

        Assert.Equal(RouterPromptKind.Route, ask.Kind);
    }

    [Fact]
    public void Routing_stops_when_the_budget_left_after_a_round_cannot_cover_another_call()
    {
        // Budget 0.0055. Turn 1: 0.001; the call: 0.001 (0.001 + 0.001 reserve fits in 0.0045). After the round 0.0035 is
        // left; the router prompt estimate sees the transcript grow but input is free: 0.001 + 0.001 + 0.001 = 0.003 fits.
        // Turn 2: 0.001, call 0.001 → 0.0015 left < 0.003: the third prompt is forced.
        var (job, ask) = AggregationMachine.Start("j", "q", [Cheap], Options(0.0055m));
        AggregationMachine.OnRouterTurn(job, ask.CallId, "<search>cheap: a</search>", new TokenUsage(0, 100));
        var second = Assert.IsType<AskRouter>(AggregationMachine.OnCallResult(job, "j:1:0", "A", new TokenUsage(500, 500)));
        Assert.Equal(RouterPromptKind.Route, second.Kind);
        AggregationMachine.OnRouterTurn(job, second.CallId, "<search>cheap: b</search>", new TokenUsage(0, 100));

        var third = Assert.IsType<AskRouter>(AggregationMachine.OnCallResult(job, "j:2:0", "B", new TokenUsage(500, 500)));

        Assert.Equal(RouterPromptKind.ForceAnswer, third.Kind);
        Assert.False(job.BudgetExhausted);
        Assert.Equal(0.004m, job.Spent);
    }
}
