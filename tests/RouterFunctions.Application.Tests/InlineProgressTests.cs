namespace RouterFunctions.Application.Tests;

public sealed class InlineProgressTests
{
    [Fact]
    public void Report_calls_the_action_before_returning_on_the_callers_thread()
    {
        var seen = new List<(string Value, int Thread)>();
        var progress = new InlineProgress<string>(v => seen.Add((v, Environment.CurrentManagedThreadId)));

        progress.Report("one");
        var afterFirst = seen.Count;
        progress.Report("two");

        Assert.Equal(1, afterFirst);
        Assert.Equal([("one", Environment.CurrentManagedThreadId), ("two", Environment.CurrentManagedThreadId)], seen);
    }

    [Fact]
    public void Report_keeps_the_order_of_many_values()
    {
        var seen = new List<int>();
        var progress = new InlineProgress<int>(seen.Add);

        for (var i = 0; i < 1000; i++)
        {
            progress.Report(i);
        }

        Assert.Equal(Enumerable.Range(0, 1000), seen);
    }
}
