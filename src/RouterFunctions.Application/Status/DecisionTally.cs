using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Application.Status;

/// <summary>One minute of decisions: count per model, and the predicted cost of the chosen models vs the best single model.</summary>
public sealed record TallyMinute(DateTimeOffset Minute, IReadOnlyDictionary<string, long> Decisions, double ChosenCost, double BestSingleCost);

/// <summary>What this instance routed since it started (totals) and per minute over the retained window.</summary>
public sealed record TallySnapshot(long Decisions, double ChosenCost, double BestSingleCost, string? BestSingleModel, IReadOnlyList<TallyMinute> Minutes);

/// <summary>
/// An in-process tally of routing decisions, per minute and model, for the dashboard. Per instance and lost on
/// restart: the stores stay the shared truth. Bounded to the last <see cref="WindowMinutes"/> minutes.
/// </summary>
public sealed class DecisionTally(TimeProvider time)
{
    public const int WindowMinutes = 120;

    private readonly Lock _lock = new();
    private readonly SortedDictionary<DateTimeOffset, Bucket> _buckets = [];
    private long _decisions;
    private double _chosenCost;
    private double _bestCost;
    private string? _bestModel;

    /// <summary>The model with the highest global mean score: the one a router-less deployment would call.</summary>
    public static int BestSingleModel(RoutingProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var best = 0;
        for (var m = 1; m < profile.Global.Count; m++)
        {
            if (profile.Global[m].MeanScore > profile.Global[best].MeanScore)
            {
                best = m;
            }
        }

        return best;
    }

    /// <summary>Counts a decision; the best model's cost is its prediction for this query, or its global mean when it was not a candidate.</summary>
    public void Record(RoutingDecision decision, RoutingProfile profile)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Models.Count == 0)
        {
            return;
        }

        var best = BestSingleModel(profile);
        var bestName = profile.Models[best].Name;
        var chosen = decision.Candidates.FirstOrDefault(c => c.Model == decision.Model)?.PredictedCost
            ?? (profile.IndexOf(decision.Model) is var m and >= 0 && m < profile.Global.Count ? profile.Global[m].MeanCost : 0);
        var bestCost = decision.Candidates.FirstOrDefault(c => c.Model == bestName)?.PredictedCost
            ?? (best < profile.Global.Count ? profile.Global[best].MeanCost : 0);
        Record(time.GetUtcNow(), decision.Model, chosen, bestCost, bestName);
    }

    public void Record(DateTimeOffset at, string model, double chosenCost, double bestSingleCost, string? bestSingleModel = null)
    {
        var minute = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        lock (_lock)
        {
            _decisions++;
            _chosenCost += chosenCost;
            _bestCost += bestSingleCost;
            _bestModel = bestSingleModel ?? _bestModel;
            if (!_buckets.TryGetValue(minute, out var bucket))
            {
                _buckets[minute] = bucket = new Bucket();
            }

            bucket.Counts[model] = bucket.Counts.GetValueOrDefault(model) + 1;
            bucket.ChosenCost += chosenCost;
            bucket.BestCost += bestSingleCost;
            Trim();
        }
    }

    public TallySnapshot Snapshot()
    {
        lock (_lock)
        {
            Trim();
            return new TallySnapshot(
                _decisions,
                _chosenCost,
                _bestCost,
                _bestModel,
                [.. _buckets.Select(b => new TallyMinute(b.Key, new Dictionary<string, long>(b.Value.Counts), b.Value.ChosenCost, b.Value.BestCost))]);
        }
    }

    // Drops minutes older than the window (relative to now, so an idle router forgets too).
    private void Trim()
    {
        var now = time.GetUtcNow();
        var oldest = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(-(WindowMinutes - 1));
        while (_buckets.Count > 0 && _buckets.Keys.First() < oldest)
        {
            _buckets.Remove(_buckets.Keys.First());
        }
    }

    private sealed class Bucket
    {
        public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

        public double ChosenCost { get; set; }

        public double BestCost { get; set; }
    }
}
