using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Core.Tests.Feedback;

public sealed class FeedbackKeysTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("a")]
    [InlineData("0190f3c2-7a1b-7c3d-9e4f-0123456789ab")]
    [InlineData("01HZX3K5Q8:grader.7~retry+1/=")]
    public void Usual_key_shapes_are_accepted(string key) => Assert.Null(FeedbackKeys.Problem(key));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("quote\"d")]
    [InlineData("naïve")]
    [InlineData("new\nline")]
    public void Empty_spaced_quoted_non_ascii_or_control_keys_are_refused(string key) => Assert.NotNull(FeedbackKeys.Problem(key));

    [Fact]
    public void A_key_may_hold_128_characters_not_129()
    {
        Assert.Null(FeedbackKeys.Problem(new string('k', 128)));
        Assert.NotNull(FeedbackKeys.Problem(new string('k', 129)));
    }

    [Fact]
    public void Ids_are_deterministic_32_hex_digits_and_differ_by_every_key_part_and_kind()
    {
        var id = FeedbackKeys.ForNaturalKey("r1", null, "ui");

        Assert.Equal(id, FeedbackKeys.ForNaturalKey("r1", null, "ui"));
        Assert.Matches("^[0-9a-f]{32}$", id);
        string[] others =
        [
            FeedbackKeys.ForNaturalKey("r2", null, "ui"),
            FeedbackKeys.ForNaturalKey("r1", "m", "ui"),
            FeedbackKeys.ForNaturalKey("r1", null, "eval"),
            FeedbackKeys.ForNaturalKey("r1", null, null),
            FeedbackKeys.ForClientKey("r1", "ui"),
            FeedbackKeys.ForClientKey("r2", "k"),
            FeedbackKeys.ForClientKey("r1", "k"),
        ];
        Assert.Equal(others.Length + 1, others.Append(id).Distinct().Count());
    }

    [Fact]
    public void Naming_the_routed_model_is_naming_none()
    {
        Assert.Null(FeedbackKeys.GradedModel("routed", "routed"));
        Assert.Null(FeedbackKeys.GradedModel(null, "routed"));
        Assert.Equal("other", FeedbackKeys.GradedModel("other", "routed"));
        Assert.Equal("routed", FeedbackKeys.GradedModel("routed", null));
    }

    [Fact]
    public void The_fingerprint_ignores_the_id_and_receipt_time_and_changes_with_anything_graded()
    {
        var e = new FeedbackEvent("id-1", "r1", 0.5, null, null, 0.01, 100, "ui", At);
        var fingerprint = FeedbackKeys.Fingerprint(e, "routed");

        Assert.Equal(fingerprint, FeedbackKeys.Fingerprint(e with { Id = "id-2", ReceivedAt = At.AddDays(1) }, "routed"));
        Assert.Equal(fingerprint, FeedbackKeys.Fingerprint(e with { Model = "routed" }, "routed"));
        FeedbackEvent[] changed =
        [
            e with { RequestId = "r2" }, e with { Score = 0.25 }, e with { Verdict = "failed" }, e with { Model = "other" },
            e with { Cost = 0.02 }, e with { Cost = null }, e with { LatencyMs = 101 }, e with { Source = "eval" },
        ];
        Assert.All(changed, c => Assert.NotEqual(fingerprint, FeedbackKeys.Fingerprint(c, "routed")));
    }
}

public sealed class MissingDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, MissingDecision.Pending)]
    [InlineData(-29, MissingDecision.Pending)]
    [InlineData(-31, MissingDecision.Unknown)]
    [InlineData(-86_400, MissingDecision.Unknown)]
    [InlineData(-7 * 86_400 + 60, MissingDecision.Unknown)]
    [InlineData(-7 * 86_400 - 60, MissingDecision.Expired)]
    [InlineData(20, MissingDecision.Pending)] // another instance's clock a little ahead
    [InlineData(3_600, MissingDecision.Unknown)]
    public void A_v7_id_is_pending_within_the_window_expired_past_the_retention_else_unknown(int ageSeconds, MissingDecision expected)
    {
        var id = RequestIds.New(Now.AddSeconds(ageSeconds));

        Assert.Equal(expected, MissingDecisions.Classify(id, Now, TimeSpan.FromDays(7), TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("never-routed")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    public void An_id_that_is_not_v7_is_unknown(string id) =>
        Assert.Equal(MissingDecision.Unknown, MissingDecisions.Classify(id, Now, TimeSpan.FromDays(7), TimeSpan.FromSeconds(30)));
}
