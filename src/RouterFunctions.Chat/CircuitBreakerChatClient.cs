using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Polly.CircuitBreaker;

namespace RouterFunctions.Chat;

/// <summary>
/// Puts one model's calls through its circuit (see <see cref="BackendHealthMonitor"/>): while the circuit is open a
/// call fails at once with <see cref="BrokenCircuitException"/>, without reaching the model, and failover moves on
/// to the next-ranked model. Streaming counts the outcome of the first update (after it, the answer is committed; a
/// stream that breaks later is failed over by nobody and not counted). A call marked by <see cref="Escalated"/> (every
/// candidate's circuit is open and routing chose this model anyway) goes to the model whatever the circuit says.
/// </summary>
public sealed class CircuitBreakerChatClient : DelegatingChatClient
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key of an escalated call; removed before the model sees the options.</summary>
    public const string EscalatedKey = "router.escalated";

    private readonly BackendBreaker _breaker;

    internal CircuitBreakerChatClient(IChatClient innerClient, BackendBreaker breaker)
        : base(innerClient)
    {
        _breaker = breaker;
    }

    public string Model => _breaker.Model;

    /// <summary>A copy of <paramref name="options"/> that marks the call as escalated: it passes an open circuit.</summary>
    public static ChatOptions Escalated(ChatOptions? options)
    {
        var copy = options?.Clone() ?? new ChatOptions();
        copy.AdditionalProperties = copy.AdditionalProperties is null ? [] : new AdditionalPropertiesDictionary(copy.AdditionalProperties);
        copy.AdditionalProperties[EscalatedKey] = true;
        return copy;
    }

    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (callOptions, escalated) = Unmark(options);
        return _breaker.ExecuteAsync(
            static (state, token) => new ValueTask<ChatResponse>(state.Inner.GetResponseAsync(state.Messages, state.Options, token)),
            (Inner: InnerClient, Messages: messages, Options: callOptions),
            escalated,
            cancellationToken).AsTask();
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (callOptions, escalated) = Unmark(options);
        var (updates, any) = await _breaker.ExecuteAsync(
            static async (state, token) =>
            {
                var stream = state.Inner.GetStreamingResponseAsync(state.Messages, state.Options, token).GetAsyncEnumerator(token);
                try
                {
                    return (stream, await stream.MoveNextAsync());
                }
                catch
                {
                    await stream.DisposeAsync();
                    throw;
                }
            },
            (Inner: InnerClient, Messages: messages, Options: callOptions),
            escalated,
            cancellationToken);

        await using (updates)
        {
            for (var more = any; more; more = await updates.MoveNextAsync())
            {
                yield return updates.Current;
            }
        }
    }

    private static (ChatOptions? Options, bool Escalated) Unmark(ChatOptions? options)
    {
        if (options?.AdditionalProperties?.ContainsKey(EscalatedKey) != true)
        {
            return (options, false);
        }

        var copy = options.Clone();
        var rest = new AdditionalPropertiesDictionary(options.AdditionalProperties);
        rest.Remove(EscalatedKey);
        copy.AdditionalProperties = rest.Count == 0 ? null : rest;
        return (copy, true);
    }
}
