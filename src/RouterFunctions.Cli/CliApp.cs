using System.CommandLine;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Cli;

internal static class CliApp
{
    /// <summary>Runs a command; a user's mistake (bad file, bad value) is one line on stderr and exit code 2, not a stack trace.</summary>
    /// <param name="modelTransport">Sends the replay command's model calls (tests); else the SDK's transport.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter log, HttpMessageHandler? modelTransport = null)
    {
        var root = new RootCommand("RouterFunctions: train, evaluate and try routing profiles.")
        {
            TrainCommand.Create(output, log),
            EvalCommand.Create(output, log),
            RouteCommand.Create(output, log),
            ReplayCommand.Create(output, log, modelTransport),
            SimulateCommand.Create(output, log),
        };
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = log, EnableDefaultExceptionHandler = false });
        }
        // IOException covers a path that cannot be written (e.g. --plot under a file, or a read-only folder).
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or FormatException or EmbeddingModelException or System.Text.Json.JsonException)
        {
            await log.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
    }
}
