using RouterFunctions.Application;

namespace RouterFunctions.Cli;

/// <summary>Where a command reports while it works: counts per stage (drawn as bars or lines) and milestone lines.</summary>
internal interface ICommandProgress
{
    IProgress<StageProgress> Stages { get; }

    IProgress<string> Lines { get; }
}
