using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Routing;

/// <summary>
/// Turns an embedding into per-model predictions. The nearest <see cref="ScorerSettings.TopK"/> centroids, softmax-weighted
/// by squared distance, average their (cluster, model) statistics, each shrunk toward its group's and the group's toward
/// the model's global mean (then the descriptor's prior, for cold start). With <see cref="ScorerKind.GroupLogistic"/>,
/// quality comes from the nearest centroid's group's logistic head where one exists. Shrunk tables are built once.
/// A group whose <see cref="RoutingProfile.GroupModes"/> entry is a fallback gets its shrunk per-model means instead, the
/// same for every query in it (and, for <see cref="GroupPrediction.Best"/>, its best model pinned): the fallback lives here,
/// not in <see cref="Router"/>, so evaluation and cross-validation, which sweep estimates, see exactly what routing does.
/// </summary>
public sealed class QualityEstimator
{
    private readonly RoutingProfile _profile;
    private readonly double[][] _quality;
    private readonly double[][] _cost;
    private readonly double[][] _groupQuality;
    private readonly double[][] _groupCost;
    private readonly GroupPrediction[] _modes;
    private readonly int[] _pinned;

    public QualityEstimator(RoutingProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Centroids.Count == 0 || profile.Cells.Count != profile.Centroids.Count || profile.CentroidGroups.Count != profile.Centroids.Count)
        {
            throw new ArgumentException("A profile needs at least one centroid, with a group and a row of statistics for each.", nameof(profile));
        }

        _profile = profile;
        var models = profile.Models.Count;
        var priorQuality = new double[models];
        var priorCost = new double[models];
        for (var m = 0; m < models; m++)
        {
            var global = Cell(profile.Global, m);
            priorQuality[m] = global.Count > 0 ? global.MeanScore : profile.Models[m].PriorQuality ?? 0.5;
            priorCost[m] = global.Count > 0 ? global.MeanCost : profile.Models[m].EstimatedCost;
        }

        // Each group's per-model means, shrunk toward the model's: the fallback of a group on its means, and what
        // its clusters' means are shrunk toward.
        var shrinkage = profile.Scorer.Shrinkage;
        var groups = profile.GroupCells.Count;
        _groupQuality = new double[groups][];
        _groupCost = new double[groups][];
        _modes = new GroupPrediction[groups];
        _pinned = new int[groups];
        for (var g = 0; g < groups; g++)
        {
            _groupQuality[g] = new double[models];
            _groupCost[g] = new double[models];
            for (var m = 0; m < models; m++)
            {
                var group = Cell(profile.GroupCells[g], m);
                _groupQuality[g][m] = Shrink(group.Count, group.MeanScore, priorQuality[m], shrinkage);
                _groupCost[g][m] = Shrink(group.Count, group.MeanCost, priorCost[m], shrinkage);
            }

            var mode = profile.ModeOf(g);
            _pinned[g] = mode.Mode == GroupPrediction.Best && mode.Model is { } model ? profile.IndexOf(model) : -1;

            // A best model no longer in the profile leaves the group on its means: still a fallback, never a crash.
            _modes[g] = mode.Mode == GroupPrediction.Best && _pinned[g] < 0 ? GroupPrediction.Means : mode.Mode;
        }

        _quality = new double[profile.Centroids.Count][];
        _cost = new double[profile.Centroids.Count][];
        for (var c = 0; c < profile.Centroids.Count; c++)
        {
            var g = profile.CentroidGroups[c];
            _quality[c] = new double[models];
            _cost[c] = new double[models];
            for (var m = 0; m < models; m++)
            {
                var cell = Cell(profile.Cells[c], m);
                _quality[c][m] = Shrink(cell.Count, cell.MeanScore, _groupQuality[g][m], shrinkage);
                _cost[c][m] = Shrink(cell.Count, cell.MeanCost, _groupCost[g][m], shrinkage);
            }
        }

        CostScale = CostScale.From(priorCost);
    }

    public RoutingProfile Profile => _profile;

    /// <summary>Maps predicted cost to 0..1 for the cost/quality knob.</summary>
    public CostScale CostScale { get; }

    public Estimate Estimate(ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != _profile.Dimensions)
        {
            throw new ArgumentException($"Expected a {_profile.Dimensions}-d embedding, got {embedding.Length}.", nameof(embedding));
        }

        var clusters = NearestCentroids(embedding, out var nearest);
        var models = _profile.Models.Count;
        var quality = new double[models];
        var cost = new double[models];
        var g = _profile.CentroidGroups[clusters[0].Cluster];
        if (g < _modes.Length && _modes[g] != GroupPrediction.Scorer)
        {
            // A fallback group: its means, without mixing clusters or running heads only to discard them.
            _groupQuality[g].CopyTo(quality, 0);
            _groupCost[g].CopyTo(cost, 0);
            return new Estimate(quality, cost, clusters, nearest) { Pinned = _modes[g] == GroupPrediction.Best ? _pinned[g] : null };
        }

        foreach (var (cluster, weight) in clusters)
        {
            for (var m = 0; m < models; m++)
            {
                quality[m] += weight * _quality[cluster][m];
                cost[m] += weight * _cost[cluster][m];
            }
        }

        if (_profile.Scorer.Kind == ScorerKind.GroupLogistic && _profile.Heads is { } heads)
        {
            var groupHeads = heads[g];
            for (var m = 0; m < models; m++)
            {
                if (m < groupHeads.Length && groupHeads[m] is { } head)
                {
                    quality[m] = head.Predict(embedding);
                }
            }
        }

        return new Estimate(quality, cost, clusters, nearest);
    }

    private static CellStats Cell(IReadOnlyList<CellStats> row, int model) => model < row.Count ? row[model] : CellStats.Empty;

    private ClusterWeight[] NearestCentroids(ReadOnlySpan<float> embedding, out double nearestDistance)
    {
        var k = Math.Clamp(_profile.Scorer.TopK, 1, _profile.Centroids.Count);
        Span<int> best = stackalloc int[k];
        Span<double> bestDistance = stackalloc double[k];
        bestDistance.Fill(double.PositiveInfinity);
        for (var c = 0; c < _profile.Centroids.Count; c++)
        {
            double d = VectorMath.SquaredDistance(embedding, _profile.Centroids[c]);
            if (d >= bestDistance[k - 1])
            {
                continue;
            }

            var i = k - 1;
            for (; i > 0 && bestDistance[i - 1] > d; i--)
            {
                bestDistance[i] = bestDistance[i - 1];
                best[i] = best[i - 1];
            }

            bestDistance[i] = d;
            best[i] = c;
        }

        nearestDistance = bestDistance[0];
        var temperature = Math.Max(_profile.Scorer.Temperature, 1e-9);
        var weights = new ClusterWeight[k];
        var total = 0.0;
        for (var i = 0; i < k; i++)
        {
            var w = Math.Exp(-(bestDistance[i] - bestDistance[0]) / temperature);
            weights[i] = new ClusterWeight(best[i], w);
            total += w;
        }

        for (var i = 0; i < k; i++)
        {
            weights[i] = weights[i] with { Weight = weights[i].Weight / total };
        }

        return weights;
    }

    private static double Shrink(double count, double mean, double prior, double pseudoCount) =>
        count + pseudoCount <= 0 ? prior : ((count * mean) + (pseudoCount * prior)) / (count + pseudoCount);
}
