namespace RouterFunctions.Embeddings.Onnx.Tests;

/// <summary>The USE-lite model in ../shared (or a folder named by ROUTERFN_MODEL_DIR).</summary>
internal static class ModelFiles
{
    public static string Directory { get; } = Environment.GetEnvironmentVariable("ROUTERFN_MODEL_DIR") ?? Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models", "universal-sentence-encoder-lite");
            if (File.Exists(Path.Combine(candidate, "model.onnx")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The USE-lite model was not found in ../shared/models; set ROUTERFN_MODEL_DIR.");
    }
}
