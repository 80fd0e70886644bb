using RouterFunctions.Core.Data;

namespace RouterFunctions.Core.Tests.Data;

public class DatasetChecksTests
{
    private static LabeledQuery Row(int line, params string[] models) =>
        new($"q{line}", "text", null, DatasetSplit.Train, models.ToDictionary(m => m, _ => new ModelOutcome(1, 0.1), StringComparer.Ordinal)) { Line = line };

    [Fact]
    public void Rows_with_the_same_models_pass()
    {
        DatasetChecks.RequireSameModels([Row(1, "a", "b"), Row(3, "b", "a")]);
        DatasetChecks.RequireSameModels([]);
    }

    [Fact]
    public void A_row_missing_a_model_of_the_first_row_is_named_by_its_file_line()
    {
        var e = Assert.Throws<FormatException>(() => DatasetChecks.RequireSameModels([Row(2, "a", "b"), Row(4, "a", "b"), Row(9, "a")]));

        Assert.Equal("line 9: no result for model 'b' (line 2 has one): every row needs the same models", e.Message);
    }

    [Fact]
    public void A_row_with_a_model_the_first_row_lacks_is_named_too()
    {
        var e = Assert.Throws<FormatException>(() => DatasetChecks.RequireSameModels([Row(1, "a"), Row(5, "a", "c")]));

        Assert.Equal("line 5: a result for model 'c', which line 1 lacks: every row needs the same models", e.Message);
    }

    [Fact]
    public void RequireModels_names_the_first_row_without_a_required_model()
    {
        DatasetChecks.RequireModels([Row(1, "a", "b", "extra")], ["a", "b"], "the profile routes to");

        var e = Assert.Throws<FormatException>(() => DatasetChecks.RequireModels([Row(1, "a", "b"), Row(7, "b")], ["a", "b"], "the profile routes to"));

        Assert.Equal("line 7: no result for model 'a' that the profile routes to", e.Message);
    }
}
