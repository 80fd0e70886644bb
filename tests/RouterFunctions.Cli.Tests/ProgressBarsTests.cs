using Microsoft.Extensions.Time.Testing;
using RouterFunctions.Application;
using Spectre.Console.Testing;

namespace RouterFunctions.Cli.Tests;

/// <summary>The bars against Spectre's own test console (interactive, no real terminal), so nothing waits on a TTY.</summary>
public sealed class ProgressBarsTests
{
    [Fact]
    public async Task Each_stage_gets_a_bar_that_ends_full_and_milestones_are_written_through_the_console()
    {
        using var console = new TestConsole().Interactive().Width(120);
        var bars = new ProgressBars(console, "train", new FakeTimeProvider());

        var result = await bars.RunAsync(progress =>
        {
            progress.Lines.Report("choosing among 2 settings");
            for (var done = 0; done <= 40; done += 8)
            {
                progress.Stages.Report(new StageProgress("embedding", done, 40));
            }

            progress.Stages.Report(new StageProgress("cross-validation", 5, 5));
            return Task.FromResult(42);
        });

        Assert.Equal(42, result);
        Assert.Contains("[train] choosing among 2 settings", console.Output, StringComparison.Ordinal);
        Assert.Contains("[train] embedding", console.Output, StringComparison.Ordinal);
        Assert.Contains("[train] cross-validation", console.Output, StringComparison.Ordinal);
        Assert.Contains("100%", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stage_left_half_done_does_not_show_as_complete()
    {
        using var console = new TestConsole().Interactive().Width(120);

        await new ProgressBars(console, "eval", new FakeTimeProvider()).RunAsync(progress =>
        {
            progress.Stages.Report(new StageProgress("sweeping", 1, 2));
            return Task.FromResult(0);
        });

        Assert.Contains("50%", console.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("100%", console.Output, StringComparison.Ordinal);
    }
}
