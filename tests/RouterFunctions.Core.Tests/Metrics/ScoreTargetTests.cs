using RouterFunctions.Core.Metrics;

namespace RouterFunctions.Core.Tests.Metrics;

public class ScoreTargetTests
{
    private static readonly Baselines Best = new(
        [("cheap", new CurvePoint(1, 0.5)), ("gpt", new CurvePoint(5, 0.88))], "gpt", new CurvePoint(5, 0.88), new CurvePoint(1, 1), new CurvePoint(3, 0.69), 0.8);

    [Theory]
    [InlineData("0.875", 0.875, false)]
    [InlineData(" 1 ", 1.0, false)]
    [InlineData("0", 0.0, false)]
    [InlineData("best", 0.0, true)]
    [InlineData("best-0.005", -0.005, true)]
    [InlineData("BEST+0.01", 0.01, true)]
    [InlineData("best - 0.02", -0.02, true)]
    public void Parse_reads_absolute_and_best_relative_targets(string text, double value, bool relative)
    {
        Assert.Equal(new ScoreTarget(value, relative), ScoreTarget.Parse(text));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("high")]
    [InlineData("best0.005")]
    [InlineData("best-")]
    [InlineData("best-2")]
    [InlineData("NaN")]
    [InlineData("0,875")]
    public void Parse_refuses_anything_else_with_one_message_naming_the_value(string text)
    {
        var e = Assert.Throws<FormatException>(() => ScoreTarget.ParseList([text]));

        Assert.Contains("is not a target score", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseList_splits_commas_and_repeats_and_drops_duplicates()
    {
        var targets = ScoreTarget.ParseList(["0.875,best-0.005", "0.875", "best"]);

        Assert.Equal([new(0.875, false), new(-0.005, true), new(0, true)], targets);
    }

    [Theory]
    [InlineData("0.875,")]
    [InlineData("")]
    public void ParseList_refuses_an_empty_entry(string text)
    {
        Assert.Throws<FormatException>(() => ScoreTarget.ParseList([text]));
    }

    [Fact]
    public void Resolve_adds_a_relative_target_to_the_best_single_models_score()
    {
        Assert.Equal(0.875, ScoreTarget.Parse("best-0.005").Resolve(Best), 1e-12);
        Assert.Equal(0.7, ScoreTarget.Parse("0.7").Resolve(Best), 1e-12);
    }

    [Theory]
    [InlineData("best-0.005", "best-0.005")]
    [InlineData("best", "best")]
    [InlineData("best+0.01", "best+0.01")]
    [InlineData("0.8750", "0.875")]
    public void ToString_gives_the_target_back_as_written(string text, string expected)
    {
        Assert.Equal(expected, ScoreTarget.Parse(text).ToString());
    }
}
