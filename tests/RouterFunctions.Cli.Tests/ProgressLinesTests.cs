using RouterFunctions.Application;

namespace RouterFunctions.Cli.Tests;

public sealed class ProgressLinesTests
{
    [Fact]
    public void A_stage_gets_a_line_at_each_quarter_and_at_the_end_not_one_per_report()
    {
        using var log = new StringWriter();
        var progress = new ProgressLines(log, "train");

        for (var done = 0; done <= 100; done += 5)
        {
            progress.Stages.Report(new StageProgress("embedding", done, 100));
        }

        Assert.Equal(
            ["[train] embedding 25/100", "[train] embedding 50/100", "[train] embedding 75/100", "[train] embedding 100/100"],
            Lines(log));
    }

    [Fact]
    public void Stages_are_counted_apart_and_milestones_are_written_as_they_come()
    {
        using var log = new StringWriter();
        var progress = new ProgressLines(log, "eval");

        progress.Lines.Report("embedding 3 queries");
        progress.Stages.Report(new StageProgress("embedding", 3, 3));
        progress.Stages.Report(new StageProgress("sweeping", 1, 2));
        progress.Stages.Report(new StageProgress("sweeping", 2, 2));
        progress.Stages.Report(new StageProgress("sweeping", 2, 2)); // a repeat of the end is not a second line

        Assert.Equal(["[eval] embedding 3 queries", "[eval] embedding 3/3", "[eval] sweeping 1/2", "[eval] sweeping 2/2"], Lines(log));
    }

    private static string[] Lines(StringWriter log) => log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
