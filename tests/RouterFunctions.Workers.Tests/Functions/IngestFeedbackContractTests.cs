using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RouterFunctions.Application.Feedback;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Messaging;

namespace RouterFunctions.Workers.Tests.Functions;

/// <summary>An app of this class's own: parks at the 3rd delivery, never asks for a retrain on its own.</summary>
public sealed class IngestFeedbackApp(WorkersFixture fixture) : IAsyncLifetime
{
    public WorkersApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await WorkersApp.StartAsync(fixture, new()
    {
        ["Feedback:ParkAfterDeliveries"] = "3",
        ["Feedback:DriftMinCount"] = "1000000",
    });

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// POST /IngestFeedback with the Service Bus trigger's exact payloads: every body encoding, metadata quirk and
/// array form; the poison policy; and the retrain request it sends.
/// </summary>
[Collection(WorkersCollection.Name)]
public sealed class IngestFeedbackContractTests(IngestFeedbackApp host, WorkersFixture fixture) : IClassFixture<IngestFeedbackApp>
{
    private const string Function = "IngestFeedback";

    private WorkersApp App => host.App;

    public static TheoryData<BodyEncoding> Encodings => [BodyEncoding.JsonString, BodyEncoding.DoubleEncoded, BodyEncoding.Base64, BodyEncoding.RawObject];

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task A_feedback_message_is_stored_and_counted_once_whatever_the_body_encoding(BodyEncoding encoding)
    {
        var routed = await App.RouteAsync(Query());
        var before = await App.CountAsync(routed.Model);
        var id = NewId();

        var result = (await App.InvokeAsync(Function, HostPayloads.Feedback(Event(id, routed.RequestId, 0.25), "msg-" + id, 1, encoding))).AssertSucceeded();

        Assert.Empty(App.Sender.SentTo(QueueNames.Retrain));
        Assert.Equal(JsonValueKind.Null, result.ReturnValue.ValueKind);
        Assert.Equal($"feedback msg-{id}: {IngestResult.Counted}", Assert.Single(result.Logs));
        var stored = Assert.Single(await App.StoredFeedbackAsync(), e => e.Id == id);
        Assert.Equal((routed.RequestId, 0.25, routed.Model), (stored.RequestId, stored.Score, stored.Model)); // stored with the graded model
        Assert.Equal(before + 1, await App.CountAsync(routed.Model), 9);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_event_without_an_id_takes_the_unquoted_message_id(bool quotedTwice)
    {
        var routed = await App.RouteAsync(Query());
        var messageId = "6b1f" + NewId();
        var payload = HostPayloads.Feedback(JsonSerializer.Serialize(new { requestId = routed.RequestId, score = 1 }), messageId, 1);
        if (!quotedTwice)
        {
            payload["Metadata"]!["MessageId"] = messageId;
        }

        (await App.InvokeAsync(Function, payload)).AssertSucceeded();

        var stored = Assert.Single(await App.StoredFeedbackAsync(), e => e.RequestId == routed.RequestId);
        Assert.Equal(messageId, stored.Id);
    }

    [Fact]
    public async Task Body_properties_leaking_into_metadata_do_not_matter()
    {
        var routed = await App.RouteAsync(Query());
        var other = await App.RouteAsync(Query());
        var id = NewId();
        var payload = HostPayloads.Feedback(Event(id, routed.RequestId, 0), "msg-" + id, 1);
        var metadata = payload["Metadata"]!.AsObject();
        metadata["id"] = HostPayloads.Quoted("leaked-" + id);
        metadata["requestId"] = HostPayloads.Quoted(other.RequestId);
        metadata["score"] = "1";
        metadata["model"] = HostPayloads.Quoted("claude-v2");

        (await App.InvokeAsync(Function, payload)).AssertSucceeded();

        var events = await App.StoredFeedbackAsync();
        var stored = Assert.Single(events, e => e.Id == id);
        Assert.Equal((routed.RequestId, 0.0, routed.Model), (stored.RequestId, stored.Score, stored.Model)); // not the leaked "claude-v2"
        Assert.DoesNotContain(events, e => e.Id == "leaked-" + id || e.RequestId == other.RequestId);
    }

    [Fact]
    public async Task A_message_failing_transiently_answers_500_until_the_park_threshold_then_is_parked_and_acknowledged()
    {
        var id = NewId();
        var body = Event(id, "no-such-request-" + id, 1);

        for (var delivery = 1; delivery < 3; delivery++)
        {
            var failed = await App.InvokeAsync(Function, HostPayloads.Feedback(body, "msg-" + id, delivery));
            Assert.True(failed.Status == HttpStatusCode.InternalServerError, $"delivery {delivery}: {(int)failed.Status} {failed.Text}");
            Assert.DoesNotContain(await App.ParkedAsync(), p => p.MessageId == "msg-" + id);
        }

        var parked = (await App.InvokeAsync(Function, HostPayloads.Feedback(body, "msg-" + id, 3))).AssertSucceeded();

        var message = Assert.Single(await App.ParkedAsync(), p => p.MessageId == "msg-" + id);
        Assert.Equal(("feedback", 3, body), (message.Queue, message.DeliveryCount, message.Body));
        Assert.Contains("no-such-request-" + id, message.Error, StringComparison.Ordinal);
        Assert.Equal($"feedback msg-{id}: {IngestResult.Parked}", Assert.Single(parked.Logs));
        Assert.DoesNotContain(await App.StoredFeedbackAsync(), e => e.Id == id);
    }

    [Theory]
    [InlineData("\"2\"", false)]
    [InlineData("2", false)]
    [InlineData("\"3\"", true)]
    [InlineData("3", true)]
    [InlineData("\"\\\"3\\\"\"", true)]
    [InlineData("\"7\"", true)]
    public async Task The_delivery_count_decides_between_retry_and_park_as_a_string_or_a_number(string deliveryCount, bool parks)
    {
        var id = NewId();
        var payload = HostPayloads.ServiceBus(Function, Event(id, "no-such-request-" + id, 1), "msg-" + id, JsonNode.Parse(deliveryCount));

        var result = await App.InvokeAsync(Function, payload);

        Assert.True(parks == (result.Status == HttpStatusCode.OK), $"{(int)result.Status}: {result.Text}");
        Assert.Equal(parks, (await App.ParkedAsync()).Any(p => p.MessageId == "msg-" + id));
    }

    public static TheoryData<string> UnreadableBodies =>
    [
        "not json",
        "null",
        "[1,2]",
        """{"requestId":"r-1","score":1.5}""",
        """{"requestId":"r-1","score":-0.1}""",
        """{"score":0.5}""",
        """{"requestId":"","score":0.5}""",
        """{"requestId":"r-1","score":"high"}""",
        """{"requestId":"r-1","score":1""",
    ];

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task An_unreadable_message_is_parked_at_its_first_delivery_and_acknowledged(string body)
    {
        var messageId = "msg-" + NewId();

        var result = (await App.InvokeAsync(Function, HostPayloads.Feedback(body, messageId, 1))).AssertSucceeded();

        var parked = Assert.Single(await App.ParkedAsync(), p => p.MessageId == messageId);
        Assert.Equal(("feedback", 1, body), (parked.Queue, parked.DeliveryCount, parked.Body));
        Assert.StartsWith("unreadable", parked.Error, StringComparison.Ordinal);
        Assert.Equal($"feedback {messageId}: {IngestResult.Parked}", Assert.Single(result.Logs));
    }

    [Fact]
    public async Task Cardinality_many_fails_the_batch_for_one_transient_failure_and_counts_the_rest_once_on_redelivery()
    {
        var routed = await App.RouteAsync(Query());
        var before = await App.CountAsync(routed.Model);
        var (good, bad) = (NewId(), NewId());
        JsonNode[] bodies = [HostPayloads.Encode(Event(good, routed.RequestId, 1), BodyEncoding.JsonString), HostPayloads.Encode(Event(bad, "no-such-request-" + bad, 1), BodyEncoding.DoubleEncoded)];
        string[] ids = ["msg-" + good, "msg-" + bad];

        var first = await App.InvokeAsync(Function, HostPayloads.ServiceBusMany(Function, bodies, ids, ["1", "1"]));
        var second = await App.InvokeAsync(Function, HostPayloads.ServiceBusMany(Function, [.. bodies.Select(b => b.DeepClone())], ids, [2, 2]));
        var third = await App.InvokeAsync(Function, HostPayloads.ServiceBusMany(Function, [.. bodies.Select(b => b.DeepClone())], ids, ["3", "3"]));

        Assert.Equal(HttpStatusCode.InternalServerError, first.Status);
        Assert.Equal(HttpStatusCode.InternalServerError, second.Status);
        third.AssertSucceeded();
        Assert.Single(await App.StoredFeedbackAsync(), e => e.Id == good);
        Assert.Equal(before + 1, await App.CountAsync(routed.Model), 9);
        Assert.Single(await App.ParkedAsync(), p => p.MessageId == "msg-" + bad);
    }

    [Fact]
    public async Task An_invocation_without_the_trigger_data_is_a_400_problem_naming_Data()
    {
        var result = await App.InvokeAsync(Function, JsonNode.Parse("""{"Data":{},"Metadata":{"DeliveryCount":"1"}}""")!);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal(400, result.Body.GetProperty("status").GetInt32());
        Assert.Contains("Data.msg", result.Body.GetProperty("errors").GetProperty("Data")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"Data\":")]
    [InlineData("")]
    public async Task A_body_that_is_not_JSON_is_a_400_problem_naming_the_body(string body)
    {
        var result = await App.PostAsync(Function, body);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.True(result.Body.GetProperty("errors").TryGetProperty("body", out _), result.Text);
    }

    [Fact]
    public async Task The_event_the_feedback_use_case_sends_is_what_IngestFeedback_reads()
    {
        var routed = await App.RouteAsync(Query());
        var accepted = await App.Get<SubmitFeedback>().SubmitAsync(new FeedbackRequest(routed.RequestId, null, "underpowered", null, null, 812.5, null), null, CancellationToken.None);
        Assert.True(accepted.Succeeded);
        var id = accepted.Value.Event.Id;
        var message = Assert.Single(App.Sender.SentTo(QueueNames.Feedback), m => m.MessageId == id);

        // Service Bus carries the body as bytes; the trigger hands it back as a JSON string, with the sender's MessageId.
        (await App.InvokeAsync(Function, HostPayloads.Feedback(message.Body, message.MessageId, 1))).AssertSucceeded();

        var stored = Assert.Single(await App.StoredFeedbackAsync(), e => e.Id == id);
        Assert.Equal((routed.RequestId, 0.0, "underpowered", 812.5), (stored.RequestId, stored.Score, stored.Verdict, stored.LatencyMs));
    }

    [Fact]
    public async Task Crossing_the_volume_threshold_sends_one_retrain_request_once()
    {
        await using var app = await WorkersApp.StartAsync(fixture, new()
        {
            ["Feedback:RetrainAfterEvents"] = "3",
            ["Feedback:DriftMinCount"] = "1000000",
        });
        var routed = await app.RouteAsync(Query());
        var ids = Enumerable.Range(0, 5).Select(_ => NewId()).ToList();
        var logs = new List<string>();

        for (var i = 0; i < ids.Count; i++)
        {
            var result = (await app.InvokeAsync(Function, HostPayloads.Feedback(Event(ids[i], routed.RequestId, 0), "msg-" + ids[i], 1))).AssertSucceeded();
            logs.Add(Assert.Single(result.Logs));
            Assert.Equal(i < 2 ? 0 : 1, app.Sender.SentTo(QueueNames.Retrain).Count);
        }

        // The message that crossed the threshold, delivered again (DeliveryCount + 1): its first send may have failed
        // after the claim was written, so it sends again — under the same MessageId, which duplicate detection drops.
        var redelivered = (await app.InvokeAsync(Function, HostPayloads.Feedback(Event(ids[2], routed.RequestId, 0), "msg-" + ids[2], 2))).AssertSucceeded();

        Assert.Equal(
            [.. ids.Select((id, i) => $"feedback msg-{id}: {(i == 2 ? IngestResult.CountedAndRetrainRequested : IngestResult.Counted)}")],
            logs);
        Assert.Equal($"feedback msg-{ids[2]}: {IngestResult.Duplicate}", Assert.Single(redelivered.Logs));
        Assert.Equal(2, app.Sender.Sent.Count);
        Assert.All(app.Sender.Sent, s => Assert.Equal((QueueNames.Retrain, $"retrain-v1-{ids[2]}", "retrain"), (s.Queue, s.Message.MessageId, s.Message.Subject)));
        var request = app.Sender.Sent[0].Message;
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.StartsWith("volume: 3 feedback events", body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, body.GetProperty("profileVersion").GetInt32());
        Assert.Equal(5, (await app.StoredFeedbackAsync()).Count);
        Assert.Equal(5, await app.CountAsync(routed.Model), 9);
    }

    [Fact]
    public async Task A_retrain_request_that_cannot_be_sent_fails_the_invocation_so_the_host_redelivers()
    {
        await using var app = await WorkersApp.StartAsync(fixture, new()
        {
            ["Feedback:RetrainAfterEvents"] = "1",
            ["Feedback:DriftMinCount"] = "1000000",
        });
        var routed = await app.RouteAsync(Query());
        var id = NewId();
        app.Sender.FailNext = 1;

        var result = await app.InvokeAsync(Function, HostPayloads.Feedback(Event(id, routed.RequestId, 1), "msg-" + id, 1));

        Assert.True(result.Status == HttpStatusCode.InternalServerError, $"{(int)result.Status}: {result.Text}");
        Assert.Empty(app.Sender.Sent);
        Assert.Empty(await app.ParkedAsync());
    }

    internal static string Event(string id, string requestId, double score, string? model = null) =>
        JsonSerializer.Serialize(new { id, requestId, score, model, receivedAt = DateTimeOffset.UtcNow });

    internal static string NewId() => Guid.NewGuid().ToString("N");

    private static string Query() => $"Which of these is a renewable energy source? A) coal B) wind C) oil D) natural gas (#{NewId()[..8]})";
}
