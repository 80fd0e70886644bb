using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace RouterFunctions.Application.Tests.Fakes;

/// <summary>An <see cref="IChatClient"/> that answers (or throws) what the test says and records the options of each call.</summary>
internal sealed class ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> answer) : IChatClient
{
    public List<ChatOptions?> Calls { get; } = [];

    public static ScriptedChatClient Throwing(Exception error) => new((_, _) => throw error);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add(options);
        return Task.FromResult(answer([.. messages], options));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls.Add(options);
        var response = answer([.. messages], options);
        await Task.Yield();
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
