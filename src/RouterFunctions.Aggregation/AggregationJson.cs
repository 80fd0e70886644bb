using System.Text.Json;
using System.Text.Json.Serialization;

namespace RouterFunctions.Aggregation;

/// <summary>The job's JSON form, for the job store and the job API.</summary>
public static class AggregationJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(AggregationJob job) => JsonSerializer.Serialize(job, Options);

    public static AggregationJob Deserialize(string json) =>
        JsonSerializer.Deserialize<AggregationJob>(json, Options) ?? throw new JsonException("The aggregation job JSON is null.");
}
