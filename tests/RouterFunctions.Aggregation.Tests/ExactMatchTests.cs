namespace RouterFunctions.Aggregation.Tests;

public class ExactMatchTests
{
    [Theory]
    [InlineData("The Eiffel Tower!", "eiffel tower")]
    [InlineData("an apple", "Apple")]
    [InlineData("  James   Cameron. ", "james cameron")]
    [InlineData("U.S.A.", "usa")]
    [InlineData("rock 'n' roll", "rock n roll")]
    [InlineData("A Tale of Two Cities", "tale of two cities")]
    public void Normalised_answers_match(string prediction, string gold)
    {
        Assert.True(ExactMatch.Matches(prediction, gold));
    }

    [Theory]
    [InlineData("Paris, France", "Paris")]
    [InlineData("theater", "ater")]
    [InlineData("42", "forty-two")]
    [InlineData("", "x")]
    public void Different_answers_do_not(string prediction, string gold)
    {
        Assert.False(ExactMatch.Matches(prediction, gold));
    }

    [Fact]
    public void Normalize_is_squad_style()
    {
        Assert.Equal("cat sat on mat", ExactMatch.Normalize("The cat, sat on   a mat."));
    }

    [Fact]
    public void Score_is_one_when_any_gold_answer_matches()
    {
        Assert.Equal(1, ExactMatch.Score("Cameron", ["James Cameron", "cameron"]));
        Assert.Equal(0, ExactMatch.Score("Spielberg", ["James Cameron", "cameron"]));
        Assert.Equal(0, ExactMatch.Score("Spielberg", []));
    }
}
