using RouterFunctions.Core.Data;

namespace RouterFunctions.Application;

public static class DatasetFile
{
    /// <summary>
    /// Reads a JSONL file of graded queries; blank lines are skipped. A bad line, or a row whose models differ from
    /// the first row's, fails with its line number and the file's path.
    /// </summary>
    public static IReadOnlyList<LabeledQuery> Read(string path, DatasetReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        }

        var rows = new List<LabeledQuery>();
        var number = 0;
        InFile(path, () =>
        {
            foreach (var line in File.ReadLines(path))
            {
                number++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    rows.Add(reader.Parse(line, number));
                }
            }

            DatasetChecks.RequireSameModels(rows);
        });
        return rows;
    }

    /// <summary>Every row of <paramref name="path"/> has a result for each of <paramref name="models"/>; else the first row that lacks one, by its line.</summary>
    public static void RequireModels(string path, IEnumerable<LabeledQuery> rows, IEnumerable<string> models, string whose) =>
        InFile(path, () => DatasetChecks.RequireModels(rows, models, whose));

    // The reader and the checks know the line; the file is named here, once.
    private static void InFile(string path, Action check)
    {
        try
        {
            check();
        }
        catch (FormatException e)
        {
            throw new FormatException($"{e.Message} (in {path})", e);
        }
    }
}
