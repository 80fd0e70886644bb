using RouterFunctions.Core.Data;
using RouterFunctions.Core.Metrics;

namespace RouterFunctions.Core.Tests.Metrics;

public class OutcomeTableTests
{
    private const double Tolerance = 1e-12;

    // Three queries, two models: a is cheap and right on queries 0 and 2; b is dear and right on 1 and 2.
    private static OutcomeTable Table() => new(
        ["a", "b"],
        [
            Row(("a", 1, 0.1), ("b", 0, 1.0)),
            Row(("a", 0, 0.3), ("b", 1, 2.0)),
            Row(("a", 1, 0.5), ("b", 1, 3.0), ("ignored", 1, 99)),
        ]);

    [Fact]
    public void Constructor_lays_rows_out_by_query_then_model()
    {
        var table = Table();

        Assert.Equal(3, table.Count);
        Assert.Equal(["a", "b"], table.Models);
        Assert.Equal([0, 1.0], table.Score[1]);
        Assert.Equal([0.5, 3.0], table.Cost[2]);
    }

    [Fact]
    public void Constructor_throws_when_a_row_lacks_a_model()
    {
        var e = Assert.Throws<ArgumentException>(() => new OutcomeTable(["a", "b"], [Row(("a", 1, 1)), Row(("a", 1, 1))]));

        Assert.Contains("Row 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_averages_cost_and_score_of_each_query_pick()
    {
        var point = Table().Evaluate([0, 1, 1]);

        Assert.Equal((0.1 + 2.0 + 3.0) / 3, point.Cost, Tolerance);
        Assert.Equal(1.0, point.Score, Tolerance);
    }

    [Fact]
    public void Evaluate_of_no_picks_is_the_origin()
    {
        Assert.Equal(new CurvePoint(0, 0), Table().Evaluate([]));
    }

    [Fact]
    public void AllTo_sends_every_query_to_one_model()
    {
        var table = Table();

        var a = table.AllTo(0);
        var b = table.AllTo(1);

        Assert.Equal(0.3, a.Cost, Tolerance);
        Assert.Equal(2.0 / 3, a.Score, Tolerance);
        Assert.Equal(2.0, b.Cost, Tolerance);
        Assert.Equal(2.0 / 3, b.Score, Tolerance);
    }

    [Fact]
    public void Subset_keeps_the_given_rows_in_the_given_order()
    {
        var subset = Table().Subset([2, 0]);

        Assert.Equal(2, subset.Count);
        Assert.Equal(["a", "b"], subset.Models);
        Assert.Equal([0.5, 3.0], subset.Cost[0]);
        Assert.Equal([0.1, 1.0], subset.Cost[1]);
        Assert.Equal(new CurvePoint(0.3, 1.0), subset.AllTo(0));

        // Picks index the subset's rows: row 0 is source row 2.
        var picked = subset.Evaluate([1, 0]);
        Assert.Equal((3.0 + 0.1) / 2, picked.Cost, Tolerance);
        Assert.Equal(1.0, picked.Score, Tolerance);
    }

    internal static IReadOnlyDictionary<string, ModelOutcome> Row(params (string Model, double Score, double Cost)[] outcomes) =>
        outcomes.ToDictionary(o => o.Model, o => new ModelOutcome(o.Score, o.Cost), StringComparer.Ordinal);
}
