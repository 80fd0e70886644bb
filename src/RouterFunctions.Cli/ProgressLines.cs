using RouterFunctions.Application;

namespace RouterFunctions.Cli;

/// <summary>
/// Progress as plain lines for logs, pipes and CI: each milestone, and per stage a line at every quarter and at the
/// end ("[train] embedding 120/240"), so a long run shows it is alive without a line per batch.
/// </summary>
internal sealed class ProgressLines(TextWriter log, string command) : ICommandProgress, IProgress<StageProgress>, IProgress<string>
{
    /// <summary>A stage's end is written once, however often it is reported.</summary>
    private const int Finished = int.MaxValue;

    private readonly Dictionary<string, int> _next = [];

    public IProgress<StageProgress> Stages => this;

    public IProgress<string> Lines => this;

    public void Report(StageProgress value)
    {
        var quarter = Math.Max(value.Total / 4, 1);
        var next = _next.GetValueOrDefault(value.Stage, quarter);
        if (value.Done > 0 && next != Finished && (value.Done >= next || value.Done == value.Total))
        {
            log.WriteLine($"[{command}] {value.Stage} {value.Done}/{value.Total}");
            _next[value.Stage] = value.Done == value.Total ? Finished : value.Done + quarter;
        }
    }

    public void Report(string value) => log.WriteLine($"[{command}] {value}");
}
