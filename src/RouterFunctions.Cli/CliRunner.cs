using System.CommandLine;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Cli;

internal static class CliRunner
{
    /// <summary>Runs a command; a user's mistake (bad file, bad value) is one line on stderr and exit code 2, not a stack trace.</summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter error)
    {
        try
        {
            return await root.Parse(args).InvokeAsync();
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or FormatException or EmbeddingModelException or System.Text.Json.JsonException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
    }
}
