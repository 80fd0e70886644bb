using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace RouterFunctions.Http.OpenAi;

/// <summary>OpenAI's chat completions wire format to and from Microsoft.Extensions.AI types.</summary>
public static class ChatWire
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly Dictionary<string, ChatRole> Roles = new(StringComparer.Ordinal)
    {
        ["system"] = ChatRole.System,
        ["developer"] = ChatRole.System,
        ["user"] = ChatRole.User,
        ["assistant"] = ChatRole.Assistant,
    };

    /// <summary>The first invalid field and why, or null.</summary>
    public static (string Field, string Problem)? Validate(ChatCompletionRequest request, int maxMessages, int maxBytes)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return ("model", "is required: 'router', 'router:<policy>', 'router-r1' or a model name from GET /v1/models");
        }

        if (request.Messages is not { Count: > 0 } messages)
        {
            return ("messages", "must hold at least one message");
        }

        if (messages.Count > maxMessages)
        {
            return ("messages", $"holds more than {maxMessages} messages");
        }

        var bytes = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not { Role: { } role } || !Roles.ContainsKey(role))
            {
                return ($"messages[{i}].role", "must be system, developer, user or assistant (tools are not routed)");
            }

            if (messages[i].Text is not { } text)
            {
                return ($"messages[{i}].content", "must be a string or a list of text parts");
            }

            bytes += Encoding.UTF8.GetByteCount(text);
        }

        if (bytes > maxBytes)
        {
            return ("messages", $"hold more than {maxBytes} bytes of text");
        }

        if (!messages.Any(m => m.Role == "user" && !string.IsNullOrWhiteSpace(m.Text)))
        {
            return ("messages", "need a non-empty user message");
        }

        if (request.N is { } n && n != 1)
        {
            return ("n", "only 1 is supported");
        }

        if (request.Temperature is { } t && (!float.IsFinite(t) || t is < 0 or > 2))
        {
            return ("temperature", "must be between 0 and 2");
        }

        if ((request.MaxCompletionTokens ?? request.MaxTokens) is { } max && max < 1)
        {
            return (request.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens", "must be positive");
        }

        return null;
    }

    public static List<ChatMessage> ToChatMessages(ChatCompletionRequest request) =>
        [.. request.Messages!.Select(m => new ChatMessage(Roles[m.Role!], m.Text) { AuthorName = m.Name })];

    public static ChatOptions ToOptions(ChatCompletionRequest request)
    {
        var options = new ChatOptions
        {
            MaxOutputTokens = request.MaxCompletionTokens ?? request.MaxTokens,
            Temperature = request.Temperature,
            TopP = request.TopP,
        };
        if (request.Stop is { ValueKind: JsonValueKind.String } stop)
        {
            options.StopSequences = [stop.GetString()!];
        }
        else if (request.Stop is { ValueKind: JsonValueKind.Array } stops)
        {
            options.StopSequences = [.. stops.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!)];
        }

        return options;
    }

    /// <summary>
    /// The text routing embeds: the latest user turn first, then the system prompt, then earlier user turns. The encoder
    /// reads only its first 128 tokens, so the part that best says what is being asked goes first.
    /// </summary>
    public static object Completion(ChatResponse response, string id, long created, string model) => new
    {
        id,
        @object = "chat.completion",
        created,
        model,
        choices = new[]
        {
            new { index = 0, message = new { role = "assistant", content = response.Text }, finish_reason = FinishReason(response.FinishReason) },
        },
        usage = Usage(response.Usage),
    };

    public static object Chunk(string id, long created, string model, string? role, string? content, string? finishReason, UsageDetails? usage = null) => new
    {
        id,
        @object = "chat.completion.chunk",
        created,
        model,
        choices = finishReason is null && content is null && role is null && usage is not null
            ? []
            : new[] { new { index = 0, delta = new { role, content }, finish_reason = finishReason } },
        usage = Usage(usage),
    };

    public static string FinishReason(ChatFinishReason? reason) =>
        reason == ChatFinishReason.Length ? "length" : reason == ChatFinishReason.ContentFilter ? "content_filter" : "stop";

    private static object? Usage(UsageDetails? usage) => usage is null ? null : new
    {
        prompt_tokens = usage.InputTokenCount ?? 0,
        completion_tokens = usage.OutputTokenCount ?? 0,
        total_tokens = usage.TotalTokenCount ?? ((usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0)),
    };
}
