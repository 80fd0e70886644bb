using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat.Tests;

/// <summary>
/// A backend stand-in for failover and routing tests: each call first runs <see cref="Before"/> (throw there to fail
/// the call, before any update when streaming), then answers "answer from NAME" — streaming, as three updates, the
/// last two of which fail with <see cref="FailAfterFirstUpdate"/> if it is set. Calls are logged, in order, into the
/// shared <c>log</c>.
/// </summary>
internal sealed class FakeModel(string name, List<string> log) : IChatClient
{
    public string Name { get; } = name;

    public Func<CancellationToken, Task> Before { get; set; } = _ => Task.CompletedTask;

    public Exception? FailAfterFirstUpdate { get; set; }

    public List<ChatOptions?> Options { get; } = [];

    public int Calls => log.Count(n => n == Name);

    public static HttpRequestException Status(int status) => new($"status {status}", null, (HttpStatusCode)status);

    public FakeModel Failing(int status)
    {
        Before = _ => throw Status(status);
        return this;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        log.Add(Name);
        Options.Add(options);
        await Before(cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer from " + Name)) { ModelId = "provider-" + Name };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        log.Add(Name);
        Options.Add(options);
        await Before(cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "answer ");
        if (FailAfterFirstUpdate is { } failure)
        {
            throw failure;
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, "from ");
        yield return new ChatResponseUpdate(ChatRole.Assistant, Name);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
