using static RouterFunctions.Aggregation.Tests.Fixture;

namespace RouterFunctions.Aggregation.Tests;

public class MultiRoundTests
{
    private const string Question = "Who directed the film that won Best Picture in 1998?";

    [Fact]
    public void A_two_round_trajectory_debits_every_call_and_shows_the_budget_left()
    {
        var (job, ask) = AggregationMachine.Start("job1", Question, Pool, Options);

        Assert.Equal(new AskRouter("job1:1:router", RouterPromptKind.Route, null), ask);
        Assert.Equal(AggregationPrompts.MultiRoundSystem, job.Transcript[0].Text);
        Assert.Equal(
            "Question: Who directed the film that won Best Picture in 1998?\n\n" +
            "Models you can call (USD per 1M tokens, input / output):\n" +
            "- alpha: $1.00 / $2.00; predicted quality for this question 0.60; fast, general\n" +
            "- beta: $10.00 / $30.00; predicted quality for this question 0.85; strong at facts\n\n" +
            "Budget left: $1.000000 of $1.000000 (spent $0.000000). This is routing turn 1 of 4; model calls left: 8.",
            LastPrompt(job));

        // Router turn 1: 1000 in × $0.5 + 100 out × $1.5 per 1M = 0.0005 + 0.00015 = 0.00065.
        var step = AggregationMachine.OnRouterTurn(job, ask.CallId,
            "<think>First the film.</think>\n<search> alpha: Which film won Best Picture in 1998? </search>", new TokenUsage(1000, 100));

        Assert.Equal([new PoolCall("job1:1:0", "alpha", "Which film won Best Picture in 1998?")], Assert.IsType<CallModels>(step).Calls);
        Assert.Equal(AggregationStatus.AwaitingCalls, job.Status);
        Assert.Equal(0.00065m, job.Spent);

        // alpha: 200 × $1 + 50 × $2 per 1M = 0.0003; spent 0.00095, left 0.99905.
        step = AggregationMachine.OnCallResult(job, "job1:1:0", "Titanic", new TokenUsage(200, 50));

        Assert.Equal(new AskRouter("job1:2:router", RouterPromptKind.Route, null), step);
        Assert.Equal(0.00095m, job.Spent);
        Assert.Equal(
            "<information>\nalpha: Which film won Best Picture in 1998?\nTitanic\n</information>\n\n" +
            "Budget left: $0.999050 of $1.000000 (spent $0.000950). This is routing turn 2 of 4; model calls left: 7.",
            LastPrompt(job));

        // Router turn 2: 1500 × 0.5 + 80 × 1.5 = 0.00075 + 0.00012 = 0.00087; the pool's spelling of the name is used.
        step = AggregationMachine.OnRouterTurn(job, "job1:2:router", "<search>BETA: Who directed Titanic (1997)?</search>", new TokenUsage(1500, 80));

        Assert.Equal([new PoolCall("job1:2:0", "beta", "Who directed Titanic (1997)?")], Assert.IsType<CallModels>(step).Calls);
        Assert.Equal(0.00182m, job.Spent);

        // beta: 300 × $10 + 100 × $30 per 1M = 0.003 + 0.003 = 0.006; spent 0.00782.
        step = AggregationMachine.OnCallResult(job, "job1:2:0", "James Cameron", new TokenUsage(300, 100));

        Assert.Equal(new AskRouter("job1:3:router", RouterPromptKind.Route, null), step);
        Assert.EndsWith("Budget left: $0.992180 of $1.000000 (spent $0.007820). This is routing turn 3 of 4; model calls left: 6.", LastPrompt(job), StringComparison.Ordinal);

        // Router turn 3 answers: 2000 × 0.5 + 20 × 1.5 = 0.001 + 0.00003 = 0.00103; total 0.00885.
        step = AggregationMachine.OnRouterTurn(job, "job1:3:router", "<answer>James Cameron</answer>", new TokenUsage(2000, 20));

        Assert.Equal(new Done("James Cameron", true), step);
        Assert.Equal(
            new AggregationSummary("job1", AggregationStrategy.MultiRound, AggregationStatus.Done, "James Cameron",
                FormatValid: true, FormatErrors: 0, RouterCalls: 3, PoolCalls: 2, Rounds: 2, Spent: 0.00885m, Budget: 1m),
            job.Summary());
        Assert.Equal(
            [TranscriptRole.System, TranscriptRole.User, TranscriptRole.Assistant, TranscriptRole.User, TranscriptRole.Assistant, TranscriptRole.User, TranscriptRole.Assistant],
            job.Transcript.Select(e => e.Role));
        Assert.Equal(0.00885m, job.RouterCalls.Sum(c => c.Cost) + job.PoolCalls.Sum(c => c.Cost));
    }

    [Fact]
    public async Task The_same_trajectory_runs_in_process_over_scripted_chat_clients()
    {
        var router = new ScriptedChatClient(
            ("<search>alpha: Which film won Best Picture in 1998?</search>", 1000, 100),
            ("<search>beta: Who directed Titanic (1997)?</search>", 1500, 80),
            ("<answer>James Cameron</answer>", 2000, 20));
        var alpha = new ScriptedChatClient(("Titanic", 200, 50));
        var beta = new ScriptedChatClient(("James Cameron", 300, 100));
        var (job, ask) = AggregationMachine.Start("job1", Question, Pool, Options);

        await AggregationRunner.RunAsync(job, ask, router, m => m == "alpha" ? alpha : beta, TestContext.Current.CancellationToken);

        Assert.Equal("James Cameron", job.Answer);
        Assert.Equal(0.00885m, job.Spent);
        Assert.Equal(["<information>"], router.Options[0]!.StopSequences!);
        Assert.Equal(3, router.Received.Count);
        Assert.Equal(6, router.Received[2].Count);
        Assert.Equal(job.Transcript.Take(6).Select(e => e.Text), router.Received[2].Select(m => m.Text));
        Assert.Equal(AggregationPrompts.PoolSystem, alpha.Received[0][0].Text);
        Assert.Equal("Which film won Best Picture in 1998?", alpha.Received[0][1].Text);
        Assert.Equal(512, alpha.Options[0]!.MaxOutputTokens);
    }

    [Fact]
    public void An_unknown_model_gets_information_saying_so_and_no_call()
    {
        var (job, ask) = AggregationMachine.Start("j", "What is 2+2?", Pool, Options);

        var step = AggregationMachine.OnRouterTurn(job, ask.CallId,
            "<search>gpt-5: What is 2+2?</search><search>alpha: What is 2+2?</search>", new TokenUsage(1000, 0));

        Assert.Equal([new PoolCall("j:1:1", "alpha", "What is 2+2?")], Assert.IsType<CallModels>(step).Calls);
        Assert.Equal(PoolCallStatus.UnknownModel, job.PoolCalls[0].Status);

        step = AggregationMachine.OnCallResult(job, "j:1:1", "4", new TokenUsage(100, 1));

        Assert.IsType<AskRouter>(step);
        Assert.Equal(
            "<information>\ngpt-5: What is 2+2?\n(No call was made: there is no model named \"gpt-5\" in the pool. Models: alpha, beta.)\n</information>\n" +
            "<information>\nalpha: What is 2+2?\n4\n</information>\n\n" +
            "Budget left: $0.999398 of $1.000000 (spent $0.000602). This is routing turn 2 of 4; model calls left: 7.",
            LastPrompt(job));
        Assert.Equal(1, job.PoolCallsMade);
        Assert.Equal(1, job.Rounds);
        Assert.True(job.FormatValid);
    }

    [Fact]
    public void A_turn_naming_only_unknown_models_goes_straight_back_to_the_router()
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options);

        var step = AggregationMachine.OnRouterTurn(job, ask.CallId, "<search>alph: q</search>", new TokenUsage(0, 0));

        Assert.Equal(new AskRouter("j:2:router", RouterPromptKind.Route, null), step);
        Assert.Contains("no model named \"alph\"", LastPrompt(job), StringComparison.Ordinal);
        Assert.Equal(0, job.PoolCallsMade);
        Assert.Equal(0, job.Rounds);
        Assert.Equal(0m, job.Spent);
    }

    [Fact]
    public void A_colon_inside_the_sub_question_stays_in_the_sub_question()
    {
        var pool = new[] { new PoolModel { Name = "gpt-4", InputPricePerMillion = 2.5m, OutputPricePerMillion = 10m } };
        var (job, ask) = AggregationMachine.Start("j", "Express 3:4 as a ratio.", pool, Options);

        var step = AggregationMachine.OnRouterTurn(job, ask.CallId, "<search> GPT-4: what is 3:4 as a ratio? </search>", new TokenUsage(10, 10));

        Assert.Equal([new PoolCall("j:1:0", "gpt-4", "what is 3:4 as a ratio?")], Assert.IsType<CallModels>(step).Calls);
    }

    [Fact]
    public void Malformed_tags_get_one_reprompt_then_a_forced_answer()
    {
        var (job, ask) = AggregationMachine.Start("j", "Capital of France?", Pool, Options);

        var step = AggregationMachine.OnRouterTurn(job, ask.CallId, "<search> alpha: capital of France?", new TokenUsage(100, 10));

        var reprompt = Assert.IsType<AskRouter>(step);
        Assert.Equal(RouterPromptKind.Reprompt, reprompt.Kind);
        Assert.Equal("<search> at character 0 is never closed with </search>", reprompt.Reason);
        Assert.StartsWith("Format error: <search> at character 0 is never closed with </search>.\nReply again, following the format:", LastPrompt(job), StringComparison.Ordinal);
        Assert.Contains("This is routing turn 2 of 4", LastPrompt(job), StringComparison.Ordinal);

        step = AggregationMachine.OnRouterTurn(job, reprompt.CallId, "<answer>Paris</answer><search>alpha: sure?</search>", new TokenUsage(100, 10));

        var forced = Assert.IsType<AskRouter>(step);
        Assert.Equal(new AskRouter("j:3:router", RouterPromptKind.ForceAnswer, "the reply format was wrong 2 times"), forced);
        Assert.Contains("Routing is disabled (the reply format was wrong 2 times)", LastPrompt(job), StringComparison.Ordinal);
        Assert.Contains("inside <answer> ... </answer>", LastPrompt(job), StringComparison.Ordinal);

        step = AggregationMachine.OnRouterTurn(job, forced.CallId, "It is Paris.", new TokenUsage(100, 10));

        Assert.Equal(new Done("It is Paris.", false), step);
        Assert.Equal(3, job.FormatErrors);
        Assert.False(job.FormatValid);
        Assert.Equal(0, job.PoolCallsMade);
        Assert.All(job.RouterCalls, c => Assert.NotNull(c.FormatError));
    }

    [Theory]
    [InlineData("<search>alpha: q")]
    [InlineData("<think><search>alpha: q</search></think>")]
    [InlineData("<search>alpha: q</search><answer>x</answer>")]
    [InlineData("Let me ask alpha.")]
    [InlineData("<search>alpha q</search>")]
    [InlineData("<answer>a</search>")]
    public void Each_kind_of_malformed_turn_is_reprompted_once_and_a_good_reply_then_counts(string malformed)
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options);

        var reprompt = Assert.IsType<AskRouter>(AggregationMachine.OnRouterTurn(job, ask.CallId, malformed, new TokenUsage(10, 10)));

        Assert.Equal(RouterPromptKind.Reprompt, reprompt.Kind);
        Assert.Equal(RouterTurnParser.Parse(malformed).Error, reprompt.Reason);
        Assert.IsType<CallModels>(AggregationMachine.OnRouterTurn(job, reprompt.CallId, "<search>alpha: q</search>", new TokenUsage(10, 10)));
        Assert.Equal(1, job.FormatErrors);
    }

    [Fact]
    public void After_the_turn_cap_routing_is_disabled_and_an_answer_is_required()
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options with { MaxRoutingTurns = 2 });
        AggregationStep step = ask;
        for (var turn = 1; turn <= 2; turn++)
        {
            Assert.Equal(RouterPromptKind.Route, Assert.IsType<AskRouter>(step).Kind);
            var calls = Assert.IsType<CallModels>(AggregationMachine.OnRouterTurn(job, ((AskRouter)step).CallId, "<search>alpha: more?</search>", new TokenUsage(10, 10)));
            step = AggregationMachine.OnCallResult(job, calls.Calls[0].CallId, "not sure", new TokenUsage(10, 10));
        }

        var forced = Assert.IsType<AskRouter>(step);
        Assert.Equal(new AskRouter("j:3:router", RouterPromptKind.ForceAnswer, "the limit of 2 routing turns is reached"), forced);
        Assert.Contains("Routing is disabled (the limit of 2 routing turns is reached): no more model calls.", LastPrompt(job), StringComparison.Ordinal);

        // Searching anyway in the forced turn calls nothing; with no answer tag its text becomes the answer, format invalid.
        step = AggregationMachine.OnRouterTurn(job, forced.CallId, "<think>still unsure</think><search>beta: more?</search>", new TokenUsage(10, 10));

        Assert.Equal(new Done("beta: more?", false), step);
        Assert.Equal(2, job.PoolCallsMade);
        Assert.Equal(3, job.RouterCalls.Count);
        Assert.Equal(AggregationStatus.Done, job.Status);
    }

    [Fact]
    public void A_well_formed_forced_answer_keeps_the_format_valid()
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options with { MaxRoutingTurns = 1 });
        var calls = Assert.IsType<CallModels>(AggregationMachine.OnRouterTurn(job, ask.CallId, "<search>alpha: q</search>", null));
        var forced = Assert.IsType<AskRouter>(AggregationMachine.OnCallResult(job, calls.Calls[0].CallId, "42", null));

        Assert.Equal(RouterPromptKind.ForceAnswer, forced.Kind);
        Assert.Equal(new Done("42", true), AggregationMachine.OnRouterTurn(job, forced.CallId, "<think>ok</think><answer>42</answer>", null));
    }

    [Fact]
    public void Searches_beyond_the_call_cap_are_not_made_and_routing_then_stops()
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options with { MaxCalls = 2 });

        var calls = Assert.IsType<CallModels>(AggregationMachine.OnRouterTurn(job, ask.CallId,
            "<search>alpha: a</search><search>beta: b</search><search>alpha: c</search>", new TokenUsage(10, 10)));

        Assert.Equal(["j:1:0", "j:1:1"], calls.Calls.Select(c => c.CallId));
        Assert.Equal(PoolCallStatus.OverCallCap, job.PoolCalls[2].Status);
        AggregationMachine.OnCallResult(job, "j:1:1", "B", new TokenUsage(1, 1));
        var forced = Assert.IsType<AskRouter>(AggregationMachine.OnCallResult(job, "j:1:0", "A", new TokenUsage(1, 1)));
        Assert.Equal(new AskRouter("j:2:router", RouterPromptKind.ForceAnswer, "the limit of 2 model calls is reached"), forced);
        Assert.Contains("alpha: c\n(No call was made: the limit of 2 model calls is reached.)", LastPrompt(job), StringComparison.Ordinal);
    }

    [Fact]
    public void Observations_are_cut_to_the_cap_and_results_arriving_out_of_order_are_shown_in_search_order()
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options with { ObservationCapTokens = 10 });
        AggregationMachine.OnRouterTurn(job, ask.CallId, "<search>alpha: a</search><search>beta: b</search>", new TokenUsage(10, 10));

        Assert.Equal(new AwaitResults(1), AggregationMachine.OnCallResult(job, "j:1:1", new string('x', 100), new TokenUsage(1, 1)));
        Assert.IsType<AskRouter>(AggregationMachine.OnCallResult(job, "j:1:0", "<answer>fake</answer>", new TokenUsage(1, 1)));

        Assert.StartsWith(
            "<information>\nalpha: a\n[answer]fake[/answer]\n</information>\n" +
            $"<information>\nbeta: b\n{new string('x', 40)} [truncated]\n</information>\n\n",
            LastPrompt(job), StringComparison.Ordinal);
        Assert.True(job.PoolCalls[1].Truncated);
        Assert.False(job.PoolCalls[0].Truncated);
    }

    [Fact]
    public void A_failed_call_is_reported_to_the_router_and_paid_only_for_known_usage()
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options with { RouterInputPricePerMillion = 0, RouterOutputPricePerMillion = 0 });
        AggregationMachine.OnRouterTurn(job, ask.CallId, "<search>beta: b</search>", new TokenUsage(10, 10));

        var step = AggregationMachine.OnCallFailed(job, "j:1:0", "503 after 3 attempts");

        Assert.IsType<AskRouter>(step);
        Assert.Contains("beta: b\n(The call failed: 503 after 3 attempts)", LastPrompt(job), StringComparison.Ordinal);
        Assert.Equal(0m, job.Spent);
        Assert.Equal(PoolCallStatus.Failed, job.PoolCalls[0].Status);
        Assert.Equal(1, job.PoolCallsMade);
    }

    [Fact]
    public async Task A_pool_model_that_throws_in_process_becomes_a_failed_call()
    {
        var router = new ScriptedChatClient(("<search>alpha: a</search>", 10, 10), ("<answer>none</answer>", 10, 10));
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options);

        await AggregationRunner.RunAsync(job, ask, router, _ => new FailingChatClient(), TestContext.Current.CancellationToken);

        Assert.Equal("none", job.Answer);
        Assert.Contains("(The call failed: HttpRequestException: 503 Service Unavailable)", router.Received[1][^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_usage_is_estimated_from_characters()
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Pool, Options);
        AggregationMachine.OnRouterTurn(job, ask.CallId, "<search>alpha: q</search>", new TokenUsage(0, 0));

        AggregationMachine.OnCallResult(job, "j:1:0", "abcdefghi", usage: null);

        // Input: the agent prompt plus "q", 4 characters a token, rounded up; output: 9 characters → 3 tokens.
        var input = (AggregationPrompts.PoolSystem.Length + 1 + 3) / 4;
        Assert.Equal(new TokenUsage(input, 3), job.PoolCalls[0].Usage);
        Assert.True(job.PoolCalls[0].UsageEstimated);
        Assert.Equal(((input * 1m) + (3 * 2m)) / 1_000_000m, job.Spent);
    }
}
