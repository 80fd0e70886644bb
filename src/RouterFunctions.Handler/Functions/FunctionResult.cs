using System.Text.Json.Serialization;

namespace RouterFunctions.Handler.Functions;

/// <summary>
/// What a function answers the host: output binding values by binding name (an array sends one message per element),
/// log lines for the invocation log, and a return value. Always JSON objects: the host base64-decodes bare strings.
/// </summary>
public sealed class FunctionResult
{
    [JsonPropertyName("Outputs")]
    public Dictionary<string, object?> Outputs { get; } = new(StringComparer.Ordinal);

    [JsonPropertyName("Logs")]
    public List<string> Logs { get; } = [];

    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; set; }

    /// <summary>Sets the HTTP output binding (for functions with an HTTP trigger and other outputs).</summary>
    public FunctionResult WithHttp(string binding, int statusCode, object body, string contentType = "application/json")
    {
        Outputs[binding] = new Dictionary<string, object>
        {
            ["statusCode"] = statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["headers"] = new Dictionary<string, string> { ["Content-Type"] = contentType },
            ["body"] = body,
        };
        return this;
    }

    public FunctionResult Send(string binding, IReadOnlyList<object> messages)
    {
        if (messages.Count > 0)
        {
            Outputs[binding] = messages;
        }

        return this;
    }
}
