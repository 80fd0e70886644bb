using RouterFunctions.Core.Routing;

namespace RouterFunctions.Core.Tests.Routing;

public class EpsilonGreedyTests
{
    private static readonly RoutingPolicy Policy = RoutingPolicy.Default;

    // Greedy pick "mid"; four models the request may use.
    private static RoutingDecision Decision(bool outOfDistribution = false) => new(
        "mid",
        [new("mid", 0.8, 0.01, 0.7), new("dear", 0.9, 0.1, 0.65), new("cheap", 0.6, 0.001, 0.6), new("other", 0.5, 0.002, 0.5)],
        0,
        [new ClusterWeight(0, 1)],
        1,
        outOfDistribution,
        3);

    [Fact]
    public void Each_models_empirical_share_matches_the_propensity_recorded_when_it_is_chosen()
    {
        var random = new Random(7);
        var counts = new Dictionary<string, int>();
        var propensities = new Dictionary<string, double>();
        const int draws = 200_000;
        for (var i = 0; i < draws; i++)
        {
            var decision = EpsilonGreedy.Apply(Decision(), Policy, 0.2, random.NextDouble(), random.NextDouble());
            counts[decision.Model] = counts.GetValueOrDefault(decision.Model) + 1;
            propensities[decision.Model] = decision.Propensity;
        }

        Assert.Equal(0.8 + 0.05, propensities["mid"], 12);
        Assert.Equal(0.05, propensities["dear"], 12);
        foreach (var (model, count) in counts)
        {
            Assert.Equal(propensities[model], (double)count / draws, 2);
        }

        Assert.Equal(1, propensities.Values.Sum(), 12);
    }

    [Fact]
    public void An_explored_pick_says_so_and_what_it_costs_over_the_greedy_one()
    {
        // pick 0.3 of four models sorted by name (cheap, dear, mid, other) → dear.
        var explored = EpsilonGreedy.Apply(Decision(), Policy, 0.2, draw: 0.1, pick: 0.3);

        Assert.Equal("dear", explored.Model);
        Assert.True(explored.Explored);
        Assert.Equal(0.09, explored.ExplorationCost, 12);

        var cheaper = EpsilonGreedy.Apply(Decision(), Policy, 0.2, draw: 0.1, pick: 0.0);
        Assert.Equal("cheap", cheaper.Model);
        Assert.Equal(0, cheaper.ExplorationCost);
    }

    [Fact]
    public void Without_epsilon_or_out_of_distribution_the_decision_is_unchanged()
    {
        Assert.Equal(1, EpsilonGreedy.Apply(Decision(), Policy, 0, 0, 0.3).Propensity);
        var ood = EpsilonGreedy.Apply(Decision(outOfDistribution: true), Policy, 0.5, 0, 0.3);
        Assert.Equal("mid", ood.Model);
        Assert.False(ood.Explored);
        Assert.Equal(1, ood.Propensity);
    }

    [Fact]
    public void Models_over_the_policys_max_cost_are_never_explored()
    {
        var capped = new RoutingPolicy { MaxCost = 0.05 };
        var models = new HashSet<string>();
        for (var pick = 0.0; pick < 1; pick += 0.01)
        {
            models.Add(EpsilonGreedy.Apply(Decision(), capped, 1, 0, pick).Model);
        }

        Assert.Equal(["cheap", "mid", "other"], models.Order());
        Assert.Equal(1.0 / 3, EpsilonGreedy.Apply(Decision(), capped, 1, 0, 0).Propensity, 12);
    }

    [Fact]
    public void The_budget_admits_exploration_only_while_spend_stays_under_its_cap_per_thousand()
    {
        // $1 per 1k requests = $0.001 per request on average.
        var budget = new ExplorationBudget(maxSpendPer1k: 1);
        var explored = Decision() with { Model = "dear", Explored = true, ExplorationCost = 0.09 };

        Assert.False(budget.Admit(0.09)); // 0.09 > 0.001 · 1
        for (var i = 1; i < 89; i++)
        {
            budget.Admit(0.09);
        }

        Assert.True(budget.Admit(0.09)); // request 90: 0.09 ≤ 0.001 · 90
        budget.Record(explored);
        Assert.False(budget.Admit(0.09)); // 0.18 > 0.091
        Assert.Equal((91, 1, 0.09), (budget.Requests, budget.Explored, budget.Spent));
        Assert.True(new ExplorationBudget(null).Admit(1e9));
    }
}
