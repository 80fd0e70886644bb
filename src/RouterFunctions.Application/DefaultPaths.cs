namespace RouterFunctions.Application;

/// <summary>
/// Where files are found when configuration does not say. The model: a deployed package's <c>models/</c> next to
/// the executable, then the repository's <c>models/</c> (filled by models/download.sh), then <c>../shared/models</c>
/// beside the repository (this workplace). Searched upward from the working directory and the executable.
/// </summary>
public static class DefaultPaths
{
    public const string ModelFolder = "universal-sentence-encoder-lite";

    public static string ModelDirectory() =>
        FindDirectory(Path.Combine("models", ModelFolder), "model.onnx")
        ?? FindDirectory(Path.Combine("shared", "models", ModelFolder), "model.onnx")
        ?? Path.GetFullPath(Path.Combine("..", "shared", "models", ModelFolder));

    /// <summary>The development data set (RouterBench subset) used to train a first profile when none is saved.</summary>
    public static string? TrainingData() => FindFile(Path.Combine("shared", "data", "routerbench_subset", "queries.jsonl"));

    public static string? ModelCatalog() => FindFile(Path.Combine("shared", "data", "routerbench_subset", "models.json"));

    private static string? FindDirectory(string relative, string mustContain) =>
        Ancestors().Select(a => Path.Combine(a, relative)).FirstOrDefault(d => File.Exists(Path.Combine(d, mustContain)));

    private static string? FindFile(string relative) =>
        Ancestors().Select(a => Path.Combine(a, relative)).FirstOrDefault(File.Exists);

    private static IEnumerable<string> Ancestors()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                yield return dir.FullName;
            }
        }
    }
}
