using System.Text.Json;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Messaging;

namespace RouterFunctions.Application.Tests.Retraining;

public sealed class RetrainRunnerTests : IDisposable
{
    private readonly UseCaseRig _rig = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    private static QueueDelivery Request(string reason, string id) =>
        new(JsonSerializer.Serialize(new RetrainRequest(reason, 3), JsonSerializerOptions.Web), id, 1);

    private async Task<List<RetrainOutcome>> LoggedAsync()
    {
        var logged = new List<RetrainOutcome>();
        await foreach (var outcome in _rig.RetrainLog.ListAsync(Token))
        {
            logged.Add(outcome);
        }

        return logged;
    }

    [Fact]
    public async Task The_reasons_of_a_batch_are_joined_once_each_in_order_an_unreadable_one_as_requested()
    {
        var outcome = await _rig.RetrainRunner().HandleAsync(
            [Request("volume: 500 feedback events on profile v3", "a"), Request("schedule", "b"), Request("schedule", "c"), new QueueDelivery("not json", "d", 1), new QueueDelivery("{}", "e", 1)],
            Token);

        Assert.Equal("volume: 500 feedback events on profile v3; schedule; requested", outcome.Reason);
    }

    [Fact]
    public async Task Without_a_profile_the_retrain_keeps_nothing_and_records_why()
    {
        var outcome = await _rig.RetrainRunner().HandleAsync([Request("schedule", "a")], Token);

        Assert.Equal((0, (int?)null, "kept: there is no profile to retrain yet"), (outcome.CurrentVersion, outcome.PublishedVersion, outcome.Why));
        Assert.Equal((_rig.Time.GetUtcNow(), "schedule"), (outcome.At, outcome.Reason));
        Assert.True(double.IsNaN(outcome.CurrentScore) && double.IsNaN(outcome.CandidateScore));
        Assert.Equal(outcome, Assert.Single(await LoggedAsync()));
        Assert.Null(_rig.Profiles.Current);
    }

    [Fact]
    public async Task A_profile_without_seed_or_feedback_is_kept_the_retrain_count_reset_and_the_run_recorded()
    {
        var profile = SampleProfiles.Small(version: 3);
        Assert.True(await _rig.ProfileStore.TryPublishAsync(profile, null, Token));
        Assert.True(await _rig.Trigger.AddAndClaimAsync(3, 5, n => n >= 5, "event", Token));

        var outcome = await _rig.RetrainRunner().RunAsync("manual", Token);

        Assert.Equal((3, (int?)null, 0), (outcome.CurrentVersion, outcome.PublishedVersion, outcome.HeldOutEvents));
        Assert.StartsWith("kept: no seed examples", outcome.Why, StringComparison.Ordinal);
        Assert.Equal(3, await _rig.ProfileStore.GetCurrentVersionAsync(Token));
        Assert.Equal(outcome, Assert.Single(await LoggedAsync()));
        // Reset: counting starts from zero again, so the next 5 events can claim a retrain once more.
        Assert.False(await _rig.Trigger.AddAndClaimAsync(3, 4, n => n >= 5, "event", Token));
        Assert.True(await _rig.Trigger.AddAndClaimAsync(3, 1, n => n >= 5, "event", Token));
    }
}
