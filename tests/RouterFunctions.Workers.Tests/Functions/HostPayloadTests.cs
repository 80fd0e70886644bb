using System.Text.Json;
using System.Text.Json.Nodes;
using RouterFunctions.Messaging;
using RouterFunctions.Workers.Functions;

namespace RouterFunctions.Workers.Tests.Functions;

/// <summary>Decoding the host's invocation payload, quirk by quirk (docs/custom-handler.md).</summary>
public sealed class HostPayloadTests
{
    private const string Event = """{"id":"e-1","requestId":"r-1","score":0.5}""";

    [Theory]
    [InlineData(BodyEncoding.JsonString)]
    [InlineData(BodyEncoding.DoubleEncoded)]
    [InlineData(BodyEncoding.Base64)]
    [InlineData(BodyEncoding.RawObject)]
    public void A_body_decodes_to_the_same_JSON_whatever_the_encoding(BodyEncoding encoding)
    {
        var body = HostPayload.Body(Element(HostPayloads.Encode(Event, encoding)));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Event), JsonNode.Parse(body)), body);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("abcd")] // valid base64 whose bytes are not JSON: kept as it came
    [InlineData("")]
    public void A_body_that_is_no_JSON_in_any_encoding_is_passed_on_as_it_came(string text)
    {
        Assert.Equal(text, HostPayload.Body(Element(JsonValue.Create(text))));
    }

    [Fact]
    public void Base64_of_text_that_is_not_JSON_is_not_decoded()
    {
        var encoded = Convert.ToBase64String("hello there"u8.ToArray());

        Assert.Equal(encoded, HostPayload.Body(Element(JsonValue.Create(encoded))));
    }

    [Theory]
    [InlineData("\"\\\"6b1f-abc\\\"\"", "6b1f-abc")] // "\"6b1f-abc\"": encoded twice, as the host sends strings
    [InlineData("\"6b1f-abc\"", "6b1f-abc")]          // plain
    [InlineData("17", "17")]                          // a number
    [InlineData("null", null)]
    [InlineData("{}", null)]
    public void Metadata_text_is_unquoted_once(string json, string? expected)
    {
        Assert.Equal(expected, HostPayload.Text(Element(JsonNode.Parse(json))));
    }

    [Fact]
    public void Missing_metadata_text_is_null()
    {
        Assert.Null(HostPayload.Text(null));
    }

    [Theory]
    [InlineData("\"3\"", 3)]       // the host's usual form: a string
    [InlineData("3", 3)]           // a number
    [InlineData("\"\\\"3\\\"\"", 3)] // encoded twice like the string metadata
    [InlineData("\"three\"", null)]
    [InlineData("3.5", null)]
    [InlineData("null", null)]
    public void Metadata_numbers_arrive_as_strings_or_numbers(string json, int? expected)
    {
        Assert.Equal(expected, HostPayload.Number(Element(JsonNode.Parse(json))));
    }

    [Theory]
    [InlineData(BodyEncoding.JsonString)]
    [InlineData(BodyEncoding.DoubleEncoded)]
    [InlineData(BodyEncoding.Base64)]
    [InlineData(BodyEncoding.RawObject)]
    public void A_service_bus_invocation_gives_the_body_the_unquoted_message_id_and_the_delivery_count(BodyEncoding encoding)
    {
        var payload = HostPayloads.ServiceBus("IngestFeedback", HostPayloads.Encode(Event, encoding), "6b1f-abc", "3");

        var delivery = Assert.Single(HostPayload.ServiceBus(Element(payload), "msg"));

        Assert.Equal("6b1f-abc", delivery.MessageId);
        Assert.Equal(3, delivery.DeliveryCount);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Event), JsonNode.Parse(delivery.Body)), delivery.Body);
    }

    [Fact]
    public void The_delivery_count_may_be_a_number_and_defaults_to_one_when_absent()
    {
        var asNumber = HostPayloads.ServiceBus("IngestFeedback", Event, "m", 4);
        var absent = HostPayloads.ServiceBus("IngestFeedback", Event, "m", null);
        absent["Metadata"]!.AsObject().Remove("DeliveryCount");

        Assert.Equal(4, Assert.Single(HostPayload.ServiceBus(Element(asNumber), "msg")).DeliveryCount);
        Assert.Equal(1, Assert.Single(HostPayload.ServiceBus(Element(absent), "msg")).DeliveryCount);
    }

    [Fact]
    public void Body_properties_leaking_into_metadata_do_not_change_the_delivery()
    {
        var payload = HostPayloads.ServiceBus("IngestFeedback", Event, "real-id", "2");
        var metadata = payload["Metadata"]!.AsObject();
        metadata["id"] = HostPayloads.Quoted("leaked-id");
        metadata["requestId"] = HostPayloads.Quoted("leaked-request");
        metadata["score"] = "1";

        var delivery = Assert.Single(HostPayload.ServiceBus(Element(payload), "msg"));

        Assert.Equal(new QueueDelivery(Event, "real-id", 2), delivery);
    }

    [Fact]
    public void Metadata_and_data_names_are_matched_without_regard_to_case()
    {
        var payload = JsonNode.Parse($$$"""{"data":{"MSG":{{{JsonSerializer.Serialize(Event)}}}},"metadata":{"messageId":"\"m-1\"","deliveryCount":"2"}}""")!;

        Assert.Equal(new QueueDelivery(Event, "m-1", 2), Assert.Single(HostPayload.ServiceBus(Element(payload), "msg")));
    }

    [Fact]
    public void Cardinality_many_gives_each_message_its_own_id_and_delivery_count()
    {
        const string second = """{"id":"e-2","requestId":"r-2","score":1}""";
        var payload = HostPayloads.ServiceBusMany(
            "IngestFeedback",
            [HostPayloads.Encode(Event, BodyEncoding.JsonString), HostPayloads.Encode(second, BodyEncoding.DoubleEncoded), HostPayloads.Encode(second, BodyEncoding.Base64)],
            ["m-1", "m-2", "m-3"],
            ["1", 3, "\"2\""]);

        var deliveries = HostPayload.ServiceBus(Element(payload), "msg");

        Assert.Equal(
            [new QueueDelivery(Event, "m-1", 1), new QueueDelivery(second, "m-2", 3), new QueueDelivery(second, "m-3", 2)],
            deliveries);
    }

    [Fact]
    public void Cardinality_many_without_delivery_counts_counts_each_message_as_a_first_delivery()
    {
        var payload = HostPayloads.ServiceBusMany("IngestFeedback", [JsonValue.Create(Event), JsonValue.Create(Event)], ["m-1", "m-2"], []);
        payload["Metadata"]!.AsObject().Remove("DeliveryCountArray");

        Assert.All(HostPayload.ServiceBus(Element(payload), "msg"), d => Assert.Equal(1, d.DeliveryCount));
    }

    [Theory]
    [InlineData("""{"Data":{},"Metadata":{}}""")]
    [InlineData("""{"Data":{"other":"x"},"Metadata":{}}""")]
    [InlineData("""{"Metadata":{}}""")]
    [InlineData("""{"Data":"msg"}""")]
    public void An_invocation_without_the_trigger_binding_is_a_format_error(string json)
    {
        var error = Assert.Throws<FormatException>(() => HostPayload.ServiceBus(Element(JsonNode.Parse(json)), "msg"));

        Assert.Contains("Data.msg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_trigger_body_is_read_from_the_request_object_as_a_string_or_an_object()
    {
        var asString = HostPayloads.Http("Feedback", "feedback", Event);
        var asObject = HostPayloads.Http("Feedback", "feedback", null, JsonNode.Parse(Event));

        Assert.Equal(Event, HostPayload.HttpBody(Element(asString), "req"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Event), JsonNode.Parse(HostPayload.HttpBody(Element(asObject), "req"))));
    }

    [Theory]
    [InlineData("""{"Data":{},"Metadata":{}}""")]
    [InlineData("""{"Data":{"req":"body"},"Metadata":{}}""")]
    [InlineData("""{"Data":{"req":{"Url":"https://x/api/feedback","Method":"POST"}}}""")]
    public void An_http_trigger_without_a_body_reads_as_empty(string json)
    {
        Assert.Equal("", HostPayload.HttpBody(Element(JsonNode.Parse(json)), "req"));
    }

    private static JsonElement Element(JsonNode? node) => JsonSerializer.SerializeToElement(node);
}
