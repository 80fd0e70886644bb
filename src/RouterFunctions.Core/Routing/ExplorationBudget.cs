namespace RouterFunctions.Core.Routing;

/// <summary>
/// Exploration spend against a cap in USD per 1,000 requests, over every request seen (explored or not). Not
/// thread-safe: its owner serialises calls.
/// </summary>
public sealed class ExplorationBudget(double? maxSpendPer1k)
{
    public long Requests { get; private set; }

    public long Explored { get; private set; }

    /// <summary>Predicted USD that explored picks cost over the greedy ones.</summary>
    public double Spent { get; private set; }

    /// <summary>Counts a request; true when exploring it at <paramref name="expectedExtraCost"/> stays within the cap.</summary>
    public bool Admit(double expectedExtraCost)
    {
        Requests++;
        return maxSpendPer1k is not { } cap || Spent + expectedExtraCost <= cap * Requests / 1000;
    }

    public void Record(RoutingDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Explored)
        {
            Explored++;
            Spent += decision.ExplorationCost;
        }
    }
}
