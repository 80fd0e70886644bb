using System.Globalization;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Feedback;

/// <summary>When feedback calls for a retrain: enough new events (volume), or a cell whose observed quality left the profile's (drift).</summary>
public sealed record RetrainPolicy
{
    public int VolumeThreshold { get; init; } = 500;

    /// <summary>Absolute difference between observed and profiled mean score that counts as drift.</summary>
    public double DriftThreshold { get; init; } = 0.2;

    /// <summary>Weighted feedback count a cell needs before its drift is believed.</summary>
    public double DriftMinCount { get; init; } = 30;

    public string? Drift(RoutingProfile profile, IReadOnlyDictionary<int, CellStats[]> live)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(live);
        foreach (var (cluster, cells) in live)
        {
            for (var m = 0; m < cells.Length && cluster < profile.Cells.Count; m++)
            {
                var profiled = profile.Cells[cluster][m].Count > 0 ? profile.Cells[cluster][m].MeanScore : profile.Global[m].MeanScore;
                if (cells[m].Count >= DriftMinCount && Math.Abs(cells[m].MeanScore - profiled) >= DriftThreshold)
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"drift: {profile.Models[m].Name} on cluster {cluster} scores {cells[m].MeanScore:F2} in feedback vs {profiled:F2} in profile v{profile.Version}");
                }
            }
        }

        return null;
    }
}
