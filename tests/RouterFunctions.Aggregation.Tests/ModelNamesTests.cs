namespace RouterFunctions.Aggregation.Tests;

public class ModelNamesTests
{
    [Theory]
    [InlineData("alpha", "alpha")]
    [InlineData("  ALPHA ", "alpha")]
    [InlineData("Claude   3\tHaiku", "claude 3 haiku")]
    public void Names_match_after_trimming_case_folding_and_collapsing_whitespace(string written, string pool)
    {
        Assert.True(ModelNames.Matches(written, pool));
    }

    [Theory]
    [InlineData("alph", "alpha")]
    [InlineData("alpha-2", "alpha")]
    [InlineData("gpt-4", "gpt-4o")]
    [InlineData("gpt-4o", "gpt-4")]
    [InlineData("claude3 haiku", "claude 3 haiku")]
    [InlineData("`alpha`", "alpha")]
    public void There_is_no_substring_or_fuzzy_guessing(string written, string pool)
    {
        Assert.False(ModelNames.Matches(written, pool));
        Assert.Null(ModelNames.Resolve([new PoolModel { Name = pool }], written));
    }

    [Fact]
    public void Resolve_returns_the_pool_spelling()
    {
        Assert.Same(Fixture.Beta, ModelNames.Resolve(Fixture.Pool, " BETA "));
    }

    [Theory]
    [InlineData("qwen2.5:7b", "has a colon")]
    [InlineData(" ", "has no name")]
    public void A_pool_name_the_router_cannot_write_is_rejected(string name, string expected)
    {
        Assert.Contains(expected, ModelNames.Problem([Fixture.Alpha, new PoolModel { Name = name }]), StringComparison.Ordinal);
    }

    [Fact]
    public void Pool_names_must_be_unique_once_normalised()
    {
        Assert.Contains("two pool models are both named \"Alpha\" once trimmed and case-folded", ModelNames.Problem([Fixture.Alpha, new PoolModel { Name = " Alpha" }]), StringComparison.Ordinal);
        Assert.Null(ModelNames.Problem(Fixture.Pool));
    }

    [Fact]
    public void Start_refuses_an_invalid_pool_or_options()
    {
        Assert.Throws<ArgumentException>(() => AggregationMachine.Start("j", "q", [new PoolModel { Name = "a:b" }], Fixture.Options));
        Assert.Throws<ArgumentException>(() => AggregationMachine.Start("j", "q", [], Fixture.Options));
        Assert.Throws<ArgumentException>(() => AggregationMachine.Start("j", "q", Fixture.Pool, Fixture.Options with { Budget = 0 }));
    }
}
