using Microsoft.Extensions.AI;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Aggregation.Tests;

public class PromptsAndPoolTests
{
    [Fact]
    public void Router_messages_follow_the_transcript_roles()
    {
        var (job, ask) = AggregationMachine.Start("j", "q", Fixture.Pool, Fixture.Options);
        AggregationMachine.OnRouterTurn(job, ask.CallId, "<search>alpha: a</search>", new TokenUsage(1, 1));
        AggregationMachine.OnCallResult(job, "j:1:0", "A", new TokenUsage(1, 1));

        var messages = AggregationPrompts.RouterMessages(job);

        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], messages.Select(m => m.Role));
        Assert.Equal(job.Transcript.Select(e => e.Text), messages.Select(m => m.Text));
    }

    [Fact]
    public void The_pool_comes_from_a_routing_decision_with_its_predicted_quality()
    {
        ModelDescriptor[] models =
        [
            new() { Name = "a", InputPricePerMillion = 0.15, OutputPricePerMillion = 0.6 },
            new() { Name = "b", InputPricePerMillion = 2.5, OutputPricePerMillion = 10 },
            new() { Name = "c", InputPricePerMillion = 1, OutputPricePerMillion = 1 },
        ];
        var decision = new RoutingDecision("b", [new Candidate("b", 0.9, 0.01, 0.8), new Candidate("a", 0.7, 0.001, 0.69)], 0, [], 0, false, 1);

        var pool = PoolModel.FromDecision(decision, models, new Dictionary<string, string> { ["b"] = "careful" });

        Assert.Equal(
            [
                new PoolModel { Name = "a", InputPricePerMillion = 0.15m, OutputPricePerMillion = 0.6m, PredictedQuality = 0.7 },
                new PoolModel { Name = "b", InputPricePerMillion = 2.5m, OutputPricePerMillion = 10m, PredictedQuality = 0.9, Notes = "careful" },
            ],
            pool);
        // 1000 × 0.15 + 333 × 0.6 = 349.8 per 1M.
        Assert.Equal(0.0003498m, pool[0].Cost(new TokenUsage(1000, 333)));
    }

    [Fact]
    public void Options_validation_names_the_field()
    {
        Assert.Null(new AggregationOptions().Validate());
        Assert.Equal("maxRoutingTurns", new AggregationOptions { MaxRoutingTurns = 0 }.Validate()?.Field);
        Assert.Equal("budget", new AggregationOptions { Budget = -1 }.Validate()?.Field);
        Assert.Equal("routerPrice", new AggregationOptions { RouterOutputPricePerMillion = -1 }.Validate()?.Field);
    }
}
