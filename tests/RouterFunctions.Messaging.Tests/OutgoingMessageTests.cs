using System.Text.Json;

namespace RouterFunctions.Messaging.Tests;

public sealed class OutgoingMessageTests
{
    private sealed record Sample(string RequestId, double Score, string? Missing);

    [Fact]
    public void Json_serializes_with_the_web_defaults_and_keeps_id_and_subject()
    {
        var message = OutgoingMessage.Json(new Sample("r-1", 0.5, null), "r-1", "feedback");

        Assert.Equal("""{"requestId":"r-1","score":0.5,"missing":null}""", message.Body);
        Assert.Equal("r-1", message.MessageId);
        Assert.Equal("feedback", message.Subject);
    }

    [Fact]
    public void Json_reads_back_case_insensitively_as_the_consumers_read_it()
    {
        var message = OutgoingMessage.Json(new Sample("r-2", 1, "x"), "r-2", "feedback");

        Assert.Equal(new Sample("r-2", 1, "x"), JsonSerializer.Deserialize<Sample>(message.Body, JsonSerializerOptions.Web));
    }
}
