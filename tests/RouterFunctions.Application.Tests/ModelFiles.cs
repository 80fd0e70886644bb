namespace RouterFunctions.Application.Tests;

/// <summary>The USE-lite model in ../shared, found independently of <see cref="DefaultPaths"/>.</summary>
internal static class ModelFiles
{
    public static string Directory { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models", DefaultPaths.ModelFolder);
            if (File.Exists(Path.Combine(candidate, "model.onnx")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The USE-lite model was not found in ../shared/models (models/download.sh fetches it).");
    }
}
