using RouterFunctions.Aggregation;

namespace RouterFunctions.Chat.Tests;

/// <summary>The simulated backend plays the Router-R1 router well enough for a job to finish, under both strategies.</summary>
public sealed class SimulatedAggregationTests
{
    private const string Question = "Who wrote <b>Hamlet</b>\nand when?";

    private static readonly PoolModel[] Pool =
    [
        new() { Name = "mistralai/mistral-7b-chat", InputPricePerMillion = 0.2m, OutputPricePerMillion = 0.2m, PredictedQuality = 0.55 },
        new() { Name = "zero-one-ai/Yi-34B-Chat", InputPricePerMillion = 0.8m, OutputPricePerMillion = 0.8m, PredictedQuality = 0.81 },
        new() { Name = "claude-v1", InputPricePerMillion = 8m, OutputPricePerMillion = 24m, PredictedQuality = 0.7 },
    ];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void The_markers_it_recognises_are_in_the_aggregation_prompts()
    {
        Assert.Contains(SimulatedAnswers.MultiRoundMarker, AggregationPrompts.MultiRoundSystem, StringComparison.Ordinal);
        Assert.Contains(SimulatedAnswers.DecomposeMarker, AggregationPrompts.DecomposeSystem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_router_turn_is_a_valid_search_of_the_best_predicted_pool_model()
    {
        var (job, _) = AggregationMachine.Start("job-1", Question, Pool, Options(), AggregationStrategy.MultiRound);

        var response = await Router().GetResponseAsync(AggregationPrompts.RouterMessages(job), AggregationPrompts.RouterChatOptions(), Token);

        Assert.StartsWith("[simulated gpt-4-1106-preview] ", response.Text, StringComparison.Ordinal);
        var turn = RouterTurnParser.Parse(response.Text);
        Assert.True(turn.IsValid, turn.Error);
        var search = Assert.Single(turn.Searches);
        Assert.Equal("zero-one-ai/Yi-34B-Chat", search.Model);
        Assert.Equal("Who wrote [b]Hamlet[/b] and when?", search.SubQuestion);
    }

    [Fact]
    public async Task A_multi_round_job_searches_once_then_answers()
    {
        using var backends = Backends();
        var (job, step) = AggregationMachine.Start("job-2", Question, Pool, Options(), AggregationStrategy.MultiRound);

        job = await AggregationRunner.RunAsync(job, step, backends.Get("gpt-4-1106-preview"), backends.Get, Token);

        Assert.Equal(AggregationStatus.Done, job.Status);
        Assert.Equal(0, job.FormatErrors);
        var call = Assert.Single(job.PoolCalls);
        Assert.Equal(("zero-one-ai/Yi-34B-Chat", PoolCallStatus.Answered), (call.Model, call.Status));
        Assert.StartsWith("[simulated zero-one-ai/Yi-34B-Chat] ", call.Observation, StringComparison.Ordinal);
        Assert.Equal(2, job.RouterCalls.Count);
        Assert.Equal("[simulated] An answer to \"Who wrote [b]Hamlet[/b] and when?\", after consulting zero-one-ai/Yi-34B-Chat.", job.Answer);
        Assert.True(job.Spent > 0);
    }

    [Fact]
    public async Task A_decomposition_job_plans_one_line_then_answers()
    {
        using var backends = Backends();
        var (job, step) = AggregationMachine.Start("job-3", Question, Pool, Options(), AggregationStrategy.Decompose);

        job = await AggregationRunner.RunAsync(job, step, backends.Get("gpt-4-1106-preview"), backends.Get, Token);

        Assert.Equal(AggregationStatus.Done, job.Status);
        Assert.Equal(0, job.FormatErrors);
        Assert.Equal("zero-one-ai/Yi-34B-Chat", Assert.Single(job.PoolCalls).Model);
        Assert.StartsWith("[simulated] An answer to", job.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forced_answer_is_an_answer_even_without_information()
    {
        using var backends = Backends();
        var (job, step) = AggregationMachine.Start("job-4", Question, Pool, Options() with { Budget = 0.000001m }, AggregationStrategy.MultiRound);

        job = await AggregationRunner.RunAsync(job, step, backends.Get("gpt-4-1106-preview"), backends.Get, Token);

        Assert.Equal(AggregationStatus.Done, job.Status);
        Assert.Empty(job.PoolCalls);
        Assert.Equal(0, job.FormatErrors);
        Assert.EndsWith("without consulting a model.", job.Answer, StringComparison.Ordinal);
    }

    private static AggregationOptions Options() => new()
    {
        RouterModel = "gpt-4-1106-preview",
        RouterInputPricePerMillion = 10,
        RouterOutputPricePerMillion = 30,
    };

    private static SimulatedChatClient Router() =>
        new("gpt-4-1106-preview", new SimulationOptions { LatencyMs = 0 }, ChatModelOptions.DefaultTimeout);

    private static ChatBackends Backends() => new(
        [SimulatedChatClientTests.Simulated("gpt-4-1106-preview", input: 10, output: 30),
            .. Pool.Select(p => SimulatedChatClientTests.Simulated(p.Name, input: (double)p.InputPricePerMillion, output: (double)p.OutputPricePerMillion))]);
}
