using System.Diagnostics;
using System.Text;

namespace RouterFunctions.Local.Tests.Configuration;

/// <summary>How a run of the local router process ended: its exit code and every line it wrote.</summary>
public sealed record ProcessRun(int ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr);

/// <summary>
/// The built local router (RouterFunctions.Local.dll, copied into this test's output with its runtimeconfig), run as
/// its own process with <c>dotnet</c> in a working directory of the test's: the real entry point, exit code and
/// streams, without the cost of <c>dotnet run</c>.
/// </summary>
internal static class LocalRouterProcess
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "RouterFunctions.Local.dll");

    /// <summary>Runs to its end; a process still running after <paramref name="seconds"/> is killed and fails the test.</summary>
    public static async Task<ProcessRun> RunAsync(string workingDirectory, IEnumerable<string> args, int seconds = 30)
    {
        using var process = Start(workingDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the local router was still running after {seconds} s: {await stdout}");
        }

        return new ProcessRun(process.ExitCode, Lines(await stdout), Lines(await stderr));
    }

    /// <summary>Starts it with redirected streams; the caller reads them and ends it.</summary>
    public static Process Start(string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Dll);
        // Any free port; the local store in memory, so no state is read from or left in the working directory.
        foreach (var arg in new[] { "--urls", "http://127.0.0.1:0", "--Storage:LocalDirectory=" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        // Production, as a user's `dotnet run` is: no development-only settings or error pages.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    // The dotnet that runs the tests (the CLI sets DOTNET_HOST_PATH for its children), else the one on the PATH.
    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];
}
