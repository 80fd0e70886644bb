using System.Text.Json;
using System.Text.Json.Serialization;

namespace RouterFunctions.Http.Endpoints;

/// <summary>
/// The route answer's serializer, generated at build time with the web defaults the other answers use: the hottest
/// answer is written without reflection-based metadata (the cached route is mostly HTTP and JSON).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RouteResponse))]
internal sealed partial class RouteJson : JsonSerializerContext;
