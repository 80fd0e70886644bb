using RouterFunctions.Core.Data;

namespace RouterFunctions.Core.Tests.Data;

public class DatasetReaderTests
{
    [Fact]
    public void Parse_reads_a_full_row()
    {
        const string line = """
            {"id": "arc.7", "query": "few-shot prefix… Q?", "question": "Q?", "task": "arc", "split": "test",
             "results": {"m1": {"score": 1.0, "cost": 0.25}, "m2": {"score": 0, "cost": 1e-4}}}
            """;

        var query = new DatasetReader().Parse(line, 1);

        Assert.Equal("arc.7", query.Id);
        Assert.Equal("Q?", query.Text);
        Assert.Equal("arc", query.Task);
        Assert.Equal("test", query.Split);
        Assert.Equal(new ModelOutcome(1, 0.25), query.Results["m1"]);
        Assert.Equal(new ModelOutcome(0, 1e-4), query.Results["m2"]);
    }

    [Fact]
    public void Parse_falls_back_to_query_when_the_text_field_is_missing()
    {
        var query = new DatasetReader().Parse("""{"id": "a", "query": "the prompt", "split": "train"}""", 1);

        Assert.Equal("the prompt", query.Text);
        Assert.Null(query.Task);
        Assert.Empty(query.Results);
    }

    [Fact]
    public void Parse_falls_back_to_query_when_the_text_field_is_not_a_string()
    {
        var query = new DatasetReader().Parse("""{"id": "a", "question": null, "query": "the prompt", "split": "train"}""", 1);

        Assert.Equal("the prompt", query.Text);
    }

    [Fact]
    public void Parse_reads_a_custom_text_field()
    {
        var query = new DatasetReader("prompt").Parse("""{"id": "a", "prompt": "P", "question": "Q", "query": "R", "split": "train"}""", 1);

        Assert.Equal("P", query.Text);
    }

    [Fact]
    public void Parse_throws_a_format_error_naming_the_line_when_there_is_no_text()
    {
        var e = Assert.Throws<FormatException>(() => new DatasetReader().Parse("""{"id": "a", "split": "train"}""", 17));

        Assert.StartsWith("line 17:", e.Message, StringComparison.Ordinal);
        Assert.Contains("question", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_assigns_a_split_from_the_id_when_the_row_has_none()
    {
        const string line = """{"id": "row-1", "query": "q"}""";

        Assert.Equal(DatasetSplit.Train, new DatasetReader(testRatio: 0).Parse(line, 1).Split);
        Assert.Equal(DatasetSplit.Test, new DatasetReader(testRatio: 1).Parse(line, 1).Split);
        Assert.Equal(DatasetSplit.ForId("row-1", 0.3), new DatasetReader().Parse(line, 1).Split);
    }

    [Fact]
    public void Parse_uses_the_line_number_as_the_id_when_the_row_has_none()
    {
        var query = new DatasetReader(testRatio: 0.5).Parse("""{"query": "q"}""", 12);

        Assert.Equal("12", query.Id);
        Assert.Equal(DatasetSplit.ForId("12", 0.5), query.Split);
    }

    [Fact]
    public void Parse_keeps_a_numeric_id_as_its_text()
    {
        Assert.Equal("5", new DatasetReader().Parse("""{"id": 5, "query": "q", "split": "train"}""", 1).Id);
    }

    [Fact]
    public void Parse_takes_a_missing_cost_as_zero()
    {
        var query = new DatasetReader().Parse("""{"id": "a", "query": "q", "split": "train", "results": {"m": {"score": 0.5}}}""", 1);

        Assert.Equal(new ModelOutcome(0.5, 0), query.Results["m"]);
    }

    [Fact]
    public void Parse_throws_a_format_error_naming_the_line_on_json_that_does_not_parse()
    {
        var e = Assert.Throws<FormatException>(() => new DatasetReader().Parse("{not json", 3));

        Assert.StartsWith("line 3:", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
    }

    [Theory]
    [InlineData("[1, 2]", "line 3: a row must be a JSON object, not an array")]
    [InlineData("""{"id": "a", "query": "q", "results": {"m": {"cost": 1}}}""", "line 3: model 'm' has no score")]
    [InlineData("""{"id": "a", "query": "q", "results": {"m": {"score": null, "cost": 1}}}""", "line 3: model 'm' has no score")]
    [InlineData("""{"id": "a", "query": "q", "results": {"m": {"score": "high"}}}""", "line 3: model 'm': score must be a number, not a string \"high\"")]
    [InlineData("""{"id": "a", "query": "q", "results": {"m": {"score": "NaN"}}}""", "line 3: model 'm': score must be a number, not a string \"NaN\"")]
    [InlineData("""{"id": "a", "query": "q", "results": {"m": {"score": 1e999}}}""", "line 3: model 'm': score 1e999 is not a finite number")]
    [InlineData("""{"id": "a", "query": "q", "results": {"m": {"score": 1, "cost": -1e400}}}""", "line 3: model 'm': cost -1e400 is not a finite number")]
    [InlineData("""{"id": "a", "query": "q", "results": {"m": {"score": 1.5}}}""", "line 3: model 'm': score 1.5 is outside 0..1")]
    [InlineData("""{"id": "a", "query": "q", "results": {"m": {"score": -0.1}}}""", "line 3: model 'm': score -0.1 is outside 0..1")]
    [InlineData("""{"id": "a", "query": "q", "results": {"m": {"score": 1, "cost": -0.002}}}""", "line 3: model 'm': cost -0.002 is negative")]
    [InlineData("""{"id": "a", "query": "q", "results": {"m": {"score": 1, "cost": "cheap"}}}""", "line 3: model 'm': cost must be a number, not a string \"cheap\"")]
    [InlineData("""{"id": "a", "query": "q", "results": {"m": 1}}""", "line 3: model 'm': a result must be an object {score, cost}, not a number")]
    [InlineData("""{"id": "a", "query": "q", "results": [{"score": 1}]}""", "line 3: 'results' must be an object of model: {score, cost}, not an array")]
    [InlineData("""{"id": "a", "query": "q", "results": "m"}""", "line 3: 'results' must be an object of model: {score, cost}, not a string")]
    public void Parse_refuses_bad_results_with_the_line_and_the_reason(string line, string message)
    {
        var e = Assert.Throws<FormatException>(() => new DatasetReader().Parse(line, 3));

        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Parse_accepts_scores_at_the_ends_of_the_range(double score)
    {
        var line = """{"id": "a", "query": "q", "results": {"m": {"score": SCORE, "cost": 0}}}""".Replace("SCORE", score.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        Assert.Equal(new ModelOutcome(score, 0), new DatasetReader().Parse(line, 1).Results["m"]);
    }

    [Fact]
    public void Parse_keeps_the_line_number_and_the_fields_that_are_true()
    {
        const string line = """{"id": "a", "query": "q", "contaminated": true, "hard": false, "reviewed": "true", "results": {}}""";

        var query = new DatasetReader().Parse(line, 41);

        Assert.Equal(41, query.Line);
        Assert.Equal(["contaminated"], query.Flags);
    }
}
