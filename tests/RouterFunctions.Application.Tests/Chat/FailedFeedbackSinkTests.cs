using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using RouterFunctions.Application.Chat;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Messaging;

namespace RouterFunctions.Application.Tests.Chat;

public sealed class FailedFeedbackSinkTests : IDisposable
{
    private readonly UseCaseRig _rig = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    private FailedFeedbackSink Sink => new(new FeedbackPublisher(_rig.Sender), _rig.Time, NullLogger<FailedFeedbackSink>.Instance);

    [Fact]
    public async Task A_model_failing_a_routed_request_is_failed_feedback_on_that_request_for_that_model()
    {
        await Sink.RecordFailureAsync("req-1", "dear", new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable), Token);

        var message = Assert.Single(_rig.Sender.SentTo(QueueNames.Feedback));
        var feedback = JsonSerializer.Deserialize<FeedbackEvent>(message.Body, ApplicationJson.Web)!;
        Assert.Equal((feedback.Id, "feedback"), (message.MessageId, message.Subject));
        Assert.Equal(("req-1", 0.0, "failed", "dear", "failover: http 503", _rig.Time.GetUtcNow()), (feedback.RequestId, feedback.Score, feedback.Verdict, feedback.Model, feedback.Source, feedback.ReceivedAt));
    }

    [Fact]
    public async Task Recording_the_same_failure_again_is_the_same_event_keyed_by_request_model_and_failover()
    {
        await Sink.RecordFailureAsync("req-1", "dear", new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable), Token);
        _rig.Time.Advance(TimeSpan.FromSeconds(3));
        await Sink.RecordFailureAsync("req-1", "dear", new TimeoutException(), Token);
        await Sink.RecordFailureAsync("req-1", "cheap", new TimeoutException(), Token);

        var ids = _rig.Sender.SentTo(QueueNames.Feedback).Select(m => m.MessageId).ToList();
        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[0], ids[2]);
        Assert.Equal(FeedbackKeys.ForNaturalKey("req-1", "dear", FailedFeedbackSink.Source), ids[0]);
    }

    [Fact]
    public async Task A_failure_outside_a_routed_request_sends_nothing()
    {
        await Sink.RecordFailureAsync(null, "dear", new TimeoutException(), Token);

        Assert.Empty(_rig.Sender.Sent);
    }
}
