using RouterFunctions.Application.Routing;

namespace RouterFunctions.Application.Tests.Routing;

public sealed class ExplorationTests : IDisposable
{
    private readonly UseCaseRig _rig = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    private async Task<List<(string Model, double Propensity, bool Explored, string RequestId)>> RouteAsync(int requests)
    {
        _rig.UseProfile();
        var routes = new List<(string, double, bool, string)>();
        for (var i = 0; i < requests; i++)
        {
            var outcome = await _rig.RouteQuery().RouteAsync(new RouteCommand($"question {i}", null, null, null, null), Token);
            var decision = outcome.Value!.Routed.Decision;
            routes.Add((decision.Model, decision.Propensity, decision.Explored, outcome.Value.Routed.RequestId));
        }

        return routes;
    }

    [Fact]
    public void Exploration_is_off_unless_configured() => Assert.Equal(0, new ExplorationOptions().Share);

    [Fact]
    public async Task Without_exploration_every_decision_is_the_greedy_one_with_propensity_one()
    {
        var routes = await RouteAsync(50);

        Assert.All(routes, r => Assert.Equal((1.0, false), (r.Propensity, r.Explored)));
        Assert.Single(routes.Select(r => r.Model).Distinct());
    }

    [Fact]
    public async Task With_a_share_some_requests_explore_and_every_decision_records_its_propensity()
    {
        _rig.Exploration = new ExplorationOptions { Share = 0.4, Seed = 11 };

        var routes = await RouteAsync(400);

        // Two models: the greedy one with 1 − 0.4 + 0.2, the other with 0.2.
        var explored = routes.Where(r => r.Explored).ToList();
        Assert.InRange(explored.Count, 50, 110);
        Assert.All(explored, r => Assert.Equal(0.2, r.Propensity, 12));
        Assert.All(routes.Where(r => !r.Explored), r => Assert.Equal(0.8, r.Propensity, 12));
        foreach (var (model, propensity, _, requestId) in routes.Take(40))
        {
            var stored = await _rig.Decisions.GetAsync(requestId, Token);
            Assert.Equal((model, propensity), (stored!.Model, stored.Propensity));
        }
    }

    [Fact]
    public async Task A_spend_cap_holds_exploration_to_its_budget_per_thousand_requests()
    {
        // The explored pick ("dear" over "cheap") is predicted to cost about $0.0019 more; $0.1 per 1k allows ~1 in 19.
        _rig.Exploration = new ExplorationOptions { Share = 0.5, Seed = 3, MaxSpendPer1k = 0.1 };

        var routes = await RouteAsync(1_000);

        var explored = routes.Count(r => r.Explored);
        Assert.InRange(explored, 20, 60);
    }
}
