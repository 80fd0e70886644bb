using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat.Tests;

/// <summary>Model configurations and a conversation the tests share.</summary>
internal static class Models
{
    public const string AzureHost = "contoso-eastus.openai.azure.com";
    public const string AzureKey = "azure-key-0123456789abcdef";
    public const string CompatibleHost = "vllm.internal";
    public const string CompatibleKey = "sk-vllm-local-42";

    public static ChatModelOptions Azure(string name = "gpt-4o-mini", string host = AzureHost, string? apiKey = AzureKey) => new()
    {
        Name = name,
        Kind = ChatModelKind.AzureOpenAI,
        Endpoint = $"https://{host}/",
        Model = "gpt-4o-mini-prod",
        ApiKey = apiKey,
        InputPricePerMillion = 2.5,
        OutputPricePerMillion = 10,
    };

    public static ChatModelOptions Compatible(string name = "llama-3.1-8b", string host = CompatibleHost, string? apiKey = CompatibleKey) => new()
    {
        Name = name,
        Kind = ChatModelKind.OpenAICompatible,
        Endpoint = $"http://{host}:8000/v1",
        Model = "meta-llama/Llama-3.1-8B-Instruct",
        ApiKey = apiKey,
        InputPricePerMillion = 0.2,
        OutputPricePerMillion = 0.6,
    };

    public static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.System, "You are a terse calculator."),
        new(ChatRole.User, "What is 1+1?"),
        new(ChatRole.Assistant, "2"),
        new(ChatRole.User, "And 2+2?"),
    ];

    /// <summary>The messages of <see cref="Conversation"/> as they must appear in the request body.</summary>
    public const string ConversationJson = """
        [
          {"role":"system","content":"You are a terse calculator."},
          {"role":"user","content":"What is 1+1?"},
          {"role":"assistant","content":"2"},
          {"role":"user","content":"And 2+2?"}
        ]
        """;
}
