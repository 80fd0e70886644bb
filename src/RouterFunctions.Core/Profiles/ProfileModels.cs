namespace RouterFunctions.Core.Profiles;

/// <summary>Adding models to a trained profile (cold start, as RouteProfile does with a new model's descriptor).</summary>
public static class ProfileModels
{
    /// <summary>
    /// The profile with every model of <paramref name="catalog"/> it does not have appended, with empty statistics
    /// (the estimator then predicts the descriptor's prior, see <see cref="ModelDescriptor.PriorQuality"/>) and no
    /// heads; null when there is none to add. Retraining and exploration then give it graded feedback.
    /// </summary>
    public static RoutingProfile? WithNewModels(RoutingProfile profile, IEnumerable<ModelDescriptor> catalog, int version, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(catalog);
        var added = catalog.Where(d => profile.IndexOf(d.Name) < 0).DistinctBy(d => d.Name, StringComparer.Ordinal).ToList();
        if (added.Count == 0)
        {
            return null;
        }

        var models = profile.Models.Count + added.Count;
        CellStats[] Padded(CellStats[] row) => [.. row, .. Enumerable.Repeat(CellStats.Empty, models - row.Length)];
        return profile with
        {
            Version = version,
            CreatedAt = now,
            Models = [.. profile.Models, .. added],
            Cells = [.. profile.Cells.Select(Padded)],
            GroupCells = [.. profile.GroupCells.Select(Padded)],
            Global = Padded([.. profile.Global]),
            Heads = profile.Heads?.Select(row => (LogisticHead?[])[.. row, .. new LogisticHead?[models - row.Length]]).ToList(),
            Notes = new Dictionary<string, string>(profile.Notes)
            {
                ["modelsAdded"] = string.Join(",", added.Select(d => d.Name)),
                ["addedTo"] = profile.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }
}
