using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace RouterFunctions.Chat;

/// <summary>
/// The router as an <see cref="IChatClient"/>. A call whose <see cref="ChatOptions.ModelId"/> names a configured
/// backend passes straight through to that model (one attempt; a failure is reported without a request id and, if
/// retryable, surfaces as <see cref="ChatFailoverException"/> like a routed request's). Any other call is routed by the
/// <see cref="IChatRouter"/> and fails over down the route's candidates (<see cref="MaxAttempts"/>), each failure
/// reported with the route's request id. The response, and the first streaming update, carry the route under
/// <see cref="ChatResponseProperties.Route"/>, so the HTTP layer can name the request and the predictions. A model whose
/// circuit is open (<see cref="CircuitBreakerChatClient"/>) fails at once without being called and the next one is
/// tried; an escalated route (<see cref="ChatRoute.Escalated"/>) calls its candidates past their open circuits.
/// </summary>
public sealed class RoutingChatClient : IChatClient
{
    private readonly ChatFailoverPipeline _failover;
    private readonly IChatRouter _router;

    /// <param name="backends">Clients by the router's model name (<see cref="ChatBackends.Clients"/>); shared, not owned.</param>
    /// <param name="failures">Gets every failed attempt, with the request id when routed.</param>
    /// <param name="maxAttempts">Most candidates tried for one routed call (<see cref="FailoverOptions.MaxAttempts"/>).</param>
    public RoutingChatClient(
        IReadOnlyDictionary<string, IChatClient> backends, IChatRouter router, IModelFailureSink failures, int maxAttempts, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(router);
        _failover = new ChatFailoverPipeline(backends, failures, maxAttempts, logger);
        _router = router;
    }

    public int MaxAttempts => _failover.MaxAttempts;

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var conversation = FailoverChatClient.Materialize(messages);
        if (PassThrough(options) is { } model)
        {
            return await _failover.GetResponseAsync(_failover.Plan([model], null, 1), conversation, options, cancellationToken);
        }

        var route = await RouteAsync(conversation, options, cancellationToken);
        var response = await _failover.GetResponseAsync(Plan(route), conversation, options, cancellationToken);
        (response.AdditionalProperties ??= [])[ChatResponseProperties.Route] = route;
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversation = FailoverChatClient.Materialize(messages);
        if (PassThrough(options) is { } model)
        {
            await foreach (var update in _failover.GetStreamingResponseAsync(_failover.Plan([model], null, 1), conversation, options, cancellationToken))
            {
                yield return update;
            }

            yield break;
        }

        var route = await RouteAsync(conversation, options, cancellationToken);
        var first = true;
        await foreach (var update in _failover.GetStreamingResponseAsync(Plan(route), conversation, options, cancellationToken))
        {
            if (first)
            {
                // The first update is where the HTTP layer learns the answering model and sets its headers.
                (update.AdditionalProperties ??= [])[ChatResponseProperties.Route] = route;
                first = false;
            }

            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>The backends are shared (owned by <see cref="ChatBackends"/>), not owned: nothing to dispose.</summary>
    public void Dispose()
    {
    }

    private string? PassThrough(ChatOptions? options) =>
        options?.ModelId is { } model && _failover.Backends.ContainsKey(model) ? model : null;

    private async ValueTask<ChatRoute> RouteAsync(List<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken) =>
        await _router.RouteAsync(conversation, options, cancellationToken)
        ?? throw new InvalidOperationException($"{_router.GetType().Name} returned no route.");

    private FailoverRun Plan(ChatRoute route) => _failover.Plan(route.Candidates.Select(c => c.Model), route.RequestId, escalated: route.Escalated);
}
