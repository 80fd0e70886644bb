using System.Text.Json;
using System.Text.Json.Serialization;

namespace RouterFunctions.Http.OpenAi;

/// <summary>The part of OpenAI's chat completions request the router understands.</summary>
public sealed record ChatCompletionRequest
{
    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("messages")]
    public IReadOnlyList<WireMessage>? Messages { get; init; }

    [JsonPropertyName("stream")]
    public bool Stream { get; init; }

    /// <summary>As OpenAI: only with <c>include_usage</c> does a stream end with a usage chunk (whose choices are empty).</summary>
    [JsonPropertyName("stream_options")]
    public StreamOptions? StreamOptions { get; init; }

    [JsonPropertyName("max_tokens")]
    public int? MaxTokens { get; init; }

    [JsonPropertyName("max_completion_tokens")]
    public int? MaxCompletionTokens { get; init; }

    [JsonPropertyName("temperature")]
    public float? Temperature { get; init; }

    [JsonPropertyName("top_p")]
    public float? TopP { get; init; }

    [JsonPropertyName("stop")]
    public JsonElement? Stop { get; init; }

    [JsonPropertyName("n")]
    public int? N { get; init; }
}

public sealed record StreamOptions
{
    [JsonPropertyName("include_usage")]
    public bool IncludeUsage { get; init; }
}

/// <summary>A message: content is a string or a list of parts, of which text parts are used.</summary>
public sealed record WireMessage
{
    [JsonPropertyName("role")]
    public string? Role { get; init; }

    [JsonPropertyName("content")]
    public JsonElement? Content { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>The text of the content, or null when it has a shape the router does not take.</summary>
    public string? Text => Content switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Null } or null => "",
        { ValueKind: JsonValueKind.Array } parts when parts.EnumerateArray().All(p => p.ValueKind == JsonValueKind.Object) =>
            string.Concat(parts.EnumerateArray()
                .Where(p => p.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "text" && p.TryGetProperty("text", out var x) && x.ValueKind == JsonValueKind.String)
                .Select(p => p.GetProperty("text").GetString())),
        _ => null,
    };
}
