using RouterFunctions.Application;
using Spectre.Console;

namespace RouterFunctions.Cli;

/// <summary>
/// Progress as Spectre.Console bars, one per stage in the order stages first report; milestone lines are written
/// through the same console, so they appear above the live bars instead of tearing them.
/// </summary>
internal sealed class ProgressBars(IAnsiConsole console, string command, TimeProvider time)
{
    public Task<T> RunAsync<T>(Func<ICommandProgress, Task<T>> work) =>
        new Progress(console, time) { AutoClear = false, HideCompleted = false }
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(context => work(new Bars(context, console, command)));

    private sealed class Bars(ProgressContext context, IAnsiConsole console, string command) : ICommandProgress, IProgress<StageProgress>, IProgress<string>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];

        public IProgress<StageProgress> Stages => this;

        public IProgress<string> Lines => this;

        public void Report(StageProgress value)
        {
            if (!_tasks.TryGetValue(value.Stage, out var task))
            {
                task = _tasks[value.Stage] = context.AddTask(Markup.Escape($"[{command}] {value.Stage}"), maxValue: Math.Max(value.Total, 1));
            }

            task.MaxValue = Math.Max(value.Total, 1);
            task.Value = value.Total == 0 ? 1 : value.Done;
            if (task.Value >= task.MaxValue)
            {
                task.StopTask(); // else its elapsed time runs on while later stages work
            }
        }

        public void Report(string value) => console.WriteLine($"[{command}] {value}");
    }
}
