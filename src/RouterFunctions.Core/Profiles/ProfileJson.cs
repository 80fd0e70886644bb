using System.Text.Json;
using System.Text.Json.Serialization;

namespace RouterFunctions.Core.Profiles;

/// <summary>The profile's JSON form, shared by the file store, the API and the CLI.</summary>
public static class ProfileJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(RoutingProfile profile) => JsonSerializer.Serialize(profile, Options);

    public static RoutingProfile Deserialize(string json) =>
        JsonSerializer.Deserialize<RoutingProfile>(json, Options) ?? throw new JsonException("The profile JSON is null.");
}
