using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Feedback;

/// <summary>One event's share of one (cluster, model) cell.</summary>
public readonly record struct StatsContribution(int Cluster, int Model, double Weight, double Score, double Cost)
{
    /// <summary>
    /// Spreads an event over the clusters the decision weighted, for the model that answered. Empty when the decision
    /// was made under another profile version (its cluster numbers mean nothing here) or names an unknown model.
    /// </summary>
    public static IReadOnlyList<StatsContribution> For(DecisionRecord decision, FeedbackEvent feedback, RoutingProfile profile)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(feedback);
        ArgumentNullException.ThrowIfNull(profile);
        var model = profile.IndexOf(feedback.Model ?? decision.Model);
        if (decision.ProfileVersion != profile.Version || model < 0)
        {
            return [];
        }

        // Without a reported cost the cell's cost mean must not drift toward 0: count the profile's own estimate.
        double CostIn(int cluster) => feedback.Cost
            ?? (profile.Cells[cluster][model].Count > 0 ? profile.Cells[cluster][model].MeanCost : profile.Global[model].MeanCost);
        return [.. decision.Clusters.Where(c => c.Weight > 0 && c.Cluster < profile.Centroids.Count)
            .Select(c => new StatsContribution(c.Cluster, model, c.Weight, feedback.Score, CostIn(c.Cluster)))];
    }
}
