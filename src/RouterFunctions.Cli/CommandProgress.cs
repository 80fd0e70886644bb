using Spectre.Console;

namespace RouterFunctions.Cli;

/// <summary>Picks how a command's progress is shown on <c>log</c>: bars on an interactive terminal, plain lines elsewhere.</summary>
internal static class CommandProgress
{
    /// <summary>
    /// Runs <paramref name="work"/> with its progress on <paramref name="log"/>. Bars only when <paramref name="log"/> is
    /// the process's stderr on a terminal (not redirected) that Spectre finds able to take ANSI and not a CI; a test's or a pipe's
    /// writer gets <see cref="ProgressLines"/>, so nothing there waits on a live display.
    /// </summary>
    public static Task<T> RunAsync<T>(TextWriter log, string command, Func<ICommandProgress, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (ReferenceEquals(log, Console.Error) && !Console.IsErrorRedirected)
        {
            // Interactive is decided here, by stderr: Spectre's own guess looks at stdout, which `--json | jq` redirects.
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Interactive = InteractionSupport.Yes });
            if (console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
            {
                return new ProgressBars(console, command, TimeProvider.System).RunAsync(work);
            }
        }

        return work(new ProgressLines(log, command));
    }
}
