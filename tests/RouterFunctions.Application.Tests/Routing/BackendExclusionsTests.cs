using RouterFunctions.Application.Routing;
using RouterFunctions.Chat;

namespace RouterFunctions.Application.Tests.Routing;

/// <summary>Which models a decision may pick, from the circuits' states alone.</summary>
public sealed class BackendExclusionsTests
{
    private static readonly DateTimeOffset At = new(2025, 6, 2, 9, 30, 0, TimeSpan.Zero);

    private static BackendState Open(string model, int secondsAgo) =>
        new(model, BackendStates.Open, $"circuit open: {model}", At.AddSeconds(-secondsAgo), At.AddSeconds(30 - secondsAgo), 5, 0);

    [Fact]
    public void With_no_open_circuit_the_asked_models_are_passed_on_unchanged()
    {
        var allowed = new[] { "dear" };

        var filter = BackendExclusions.Apply(SampleProfiles.Small(), allowed, [BackendState.Fresh("cheap"), BackendState.Fresh("dear")]);

        Assert.Same(allowed, filter.Allowed);
        Assert.Equal((0, null), (filter.Excluded.Count, filter.Escalated));
        Assert.Null(BackendExclusions.Apply(SampleProfiles.Small(), null, []).Allowed);
    }

    [Fact]
    public void An_open_model_is_excluded_with_its_reason_and_reopening_time_and_the_rest_are_allowed()
    {
        var filter = BackendExclusions.Apply(SampleProfiles.Small(), null, [Open("cheap", 10), BackendState.Fresh("dear")]);

        Assert.Equal(["dear"], filter.Allowed);
        Assert.Equal([new BackendExclusion("cheap", "circuit open: cheap", At.AddSeconds(20))], filter.Excluded);
        Assert.Null(filter.Escalated);
    }

    [Fact]
    public void Half_open_models_and_models_without_a_breaker_stay_routable()
    {
        var halfOpen = new BackendState("cheap", BackendStates.HalfOpen, "probing", At, null, 5, 0);

        var filter = BackendExclusions.Apply(SampleProfiles.Small(), null, [halfOpen]);

        Assert.Null(filter.Allowed);
        Assert.Empty(filter.Excluded);
    }

    [Fact]
    public void An_open_model_that_was_not_asked_for_changes_nothing()
    {
        var filter = BackendExclusions.Apply(SampleProfiles.Small(), ["dear"], [Open("cheap", 1)]);

        Assert.Equal(["dear"], filter.Allowed);
        Assert.Empty(filter.Excluded);
    }

    [Theory]
    [InlineData(10, 3, "cheap")]
    [InlineData(3, 10, "dear")]
    [InlineData(5, 5, "cheap")]
    public void When_every_asked_model_is_open_the_one_open_longest_is_escalated_to_profile_order_breaking_ties(int cheapAgo, int dearAgo, string chosen)
    {
        var filter = BackendExclusions.Apply(SampleProfiles.Small(), null, [Open("dear", dearAgo), Open("cheap", cheapAgo)]);

        Assert.Equal([chosen], filter.Allowed);
        Assert.Equal(BackendExclusions.AllOpen, filter.Escalated);
        Assert.Equal(["cheap", "dear"], filter.Excluded.Select(e => e.Model));
    }
}
