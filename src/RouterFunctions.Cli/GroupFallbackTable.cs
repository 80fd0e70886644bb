using System.Globalization;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Training;

namespace RouterFunctions.Cli;

/// <summary>train's result table: per group, the cross-validated AIQ of each prediction mode and the mode kept.</summary>
internal static class GroupFallbackTable
{
    public static void Write(TextWriter output, IReadOnlyList<GroupFallbackRow> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        var width = Math.Max("group".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Group.Length));
        output.WriteLine("per-group cross-validated AIQ (scorer / group means / best single model):");
        output.WriteLine($"{"group".PadRight(width)}  {"examples",8}  {"scorer",7}  {"means",7}  {"best",7}  mode");
        foreach (var r in rows)
        {
            var mode = r.Chosen.Mode switch
            {
                GroupPrediction.Best => $"best ({r.Chosen.Model})",
                GroupPrediction.Means => "means",
                _ => "scorer",
            };
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{r.Group.PadRight(width)}  {r.Examples,8}  {Aiq(r.ScorerAiq),7}  {Aiq(r.MeansAiq),7}  {Aiq(r.BestAiq),7}  {mode}"));
        }
    }

    // NaN: no fold gave the group a cost range to integrate over.
    private static string Aiq(double value) => double.IsFinite(value) ? value.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
