using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat;

/// <summary>
/// Makes a backend answer under the router's name for it: <c>ModelId</c> of responses and updates becomes
/// <see cref="Name"/> (the provider's own id moves to <c>AdditionalProperties["provider_model"]</c>), and a
/// <see cref="ChatOptions.ModelId"/> from the caller (e.g. "router") is dropped, so the configured deployment or model
/// id is what is sent.
/// </summary>
public sealed class ModelNameChatClient(IChatClient innerClient, string name) : DelegatingChatClient(innerClient)
{
    public string Name { get; } = name;

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, WithoutModel(options), cancellationToken);
        if (response.ModelId is { Length: > 0 } provider && provider != Name)
        {
            (response.AdditionalProperties ??= [])[ChatResponseProperties.ProviderModel] = provider;
        }

        response.ModelId = Name;
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, WithoutModel(options), cancellationToken))
        {
            if (update.ModelId is { Length: > 0 } provider && provider != Name)
            {
                (update.AdditionalProperties ??= [])[ChatResponseProperties.ProviderModel] = provider;
            }

            update.ModelId = Name;
            yield return update;
        }
    }

    private static ChatOptions? WithoutModel(ChatOptions? options)
    {
        if (options?.ModelId is null)
        {
            return options;
        }

        var copy = options.Clone();
        copy.ModelId = null;
        return copy;
    }
}
