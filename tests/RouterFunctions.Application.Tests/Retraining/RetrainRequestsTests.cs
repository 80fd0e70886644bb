using System.Text.Json;
using RouterFunctions.Application.Retraining;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Messaging;

namespace RouterFunctions.Application.Tests.Retraining;

public sealed class RetrainRequestsTests : IDisposable
{
    private readonly UseCaseRig _rig = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    private RetrainRequests Requests => new(_rig.Profiles, _rig.Sender, _rig.Time);

    [Fact]
    public async Task The_schedule_sends_one_retrain_request_for_the_loaded_profile_keyed_by_the_UTC_day()
    {
        _rig.UseProfile(SampleProfiles.Small(version: 7));

        var request = await Requests.ScheduleAsync(Token);

        Assert.Equal(new RetrainRequest("schedule", 7), request);
        var (queue, message) = Assert.Single(_rig.Sender.Sent);
        Assert.Equal((QueueNames.Retrain, "retrain-schedule-20250602", "retrain"), (queue, message.MessageId, message.Subject));
        Assert.Equal(request, JsonSerializer.Deserialize<RetrainRequest>(message.Body, ApplicationJson.Web));
    }

    [Fact]
    public async Task Two_firings_the_same_day_share_a_message_id_and_the_next_day_has_its_own()
    {
        var requests = Requests;

        await requests.ScheduleAsync(Token);
        _rig.Time.Advance(TimeSpan.FromHours(14)); // 23:30 UTC, still 2 June
        await requests.ScheduleAsync(Token);
        _rig.Time.Advance(TimeSpan.FromHours(1));
        await requests.ScheduleAsync(Token);

        Assert.Equal(["retrain-schedule-20250602", "retrain-schedule-20250602", "retrain-schedule-20250603"], _rig.Sender.SentTo(QueueNames.Retrain).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Without_a_profile_the_request_names_version_zero()
    {
        var request = await Requests.ScheduleAsync(Token);

        Assert.Equal(0, request.ProfileVersion);
    }
}
