using RouterFunctions.Core.Data;

namespace RouterFunctions.Application;

public static class DatasetFile
{
    /// <summary>Reads a JSONL file of graded queries; blank lines are skipped, a bad line fails with its number.</summary>
    public static IReadOnlyList<LabeledQuery> Read(string path, DatasetReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        }

        var rows = new List<LabeledQuery>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                rows.Add(reader.Parse(line, number));
            }
        }

        return rows;
    }
}
