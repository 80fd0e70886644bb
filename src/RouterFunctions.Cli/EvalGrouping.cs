namespace RouterFunctions.Cli;

/// <summary>What eval's per-group rows are keyed by (--group-by).</summary>
internal static class EvalGrouping
{
    public const string Task = "task";
    public const string Prefix = "prefix";

    /// <summary>The group of a row's task: the task itself, or its benchmark (the part before the first '-': mmlu-physics → mmlu).</summary>
    public static Func<string, string> For(string mode) => mode switch
    {
        Task => task => task,
        Prefix => PrefixOf,
        _ => throw new ArgumentException($"--group-by must be '{Task}' or '{Prefix}', not '{mode}'."),
    };

    // A task that starts with '-' has no prefix before it: keep the whole name rather than an empty group.
    private static string PrefixOf(string task) => task.IndexOf('-', StringComparison.Ordinal) is > 0 and var i ? task[..i] : task;
}
