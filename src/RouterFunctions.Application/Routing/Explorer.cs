using Microsoft.Extensions.Options;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Application.Routing;

/// <summary>
/// Applies <see cref="EpsilonGreedy"/> to routing decisions under the configured share and spend cap, with one seeded
/// random source. Thread-safe: a lock around two draws and the budget, far cheaper than the embedding it follows.
/// </summary>
public sealed class Explorer(IOptions<ExplorationOptions> options)
{
    private readonly ExplorationOptions _options = options.Value;
    private readonly ExplorationBudget _budget = new(options.Value.MaxSpendPer1k);
    private readonly Random _random = new(options.Value.Seed);
    private readonly Lock _lock = new();

    public bool Enabled => _options.Share > 0;

    public RoutingDecision Apply(RoutingDecision decision, RoutingPolicy policy)
    {
        if (!Enabled)
        {
            return decision;
        }

        lock (_lock)
        {
            var epsilon = _budget.Admit(EpsilonGreedy.ExpectedExtraCost(decision, policy)) ? _options.Share : 0;
            var explored = EpsilonGreedy.Apply(decision, policy, epsilon, _random.NextDouble(), _random.NextDouble());
            _budget.Record(explored);
            return explored;
        }
    }
}
