using Azure.Core;
using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat.Tests;

/// <summary>Records every failure failover reports, with its request id; can be told to throw.</summary>
internal sealed class RecordingFailureSink(Exception? throwOnRecord = null) : IModelFailureSink
{
    private readonly List<(string? RequestId, string Model, Exception Failure)> _reports = [];

    public IReadOnlyList<(string? RequestId, string Model, Exception Failure)> Reports => _reports;

    public IReadOnlyList<(string Model, Exception Failure)> Failures => [.. _reports.Select(r => (r.Model, r.Failure))];

    public Task RecordFailureAsync(string? requestId, string model, Exception failure, CancellationToken cancellationToken)
    {
        _reports.Add((requestId, model, failure));
        return throwOnRecord is null ? Task.CompletedTask : Task.FromException(throwOnRecord);
    }
}

/// <summary>Routes every conversation to a fixed ranking, recording what it was asked.</summary>
internal sealed class FixedRouter(string requestId, params string[] ranking) : IChatRouter
{
    public ChatRoute Route { get; } = new(requestId, [.. ranking.Select((m, i) => new ChatRouteCandidate(m, 0.9 - (i / 10d), 0.001 * (i + 1)))]);

    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

    public ValueTask<ChatRoute> RouteAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        Calls.Add((messages, options));
        return ValueTask.FromResult(Route);
    }
}

/// <summary>A managed identity stand-in: hands out a fixed token and records the scopes asked for.</summary>
internal sealed class FixedTokenCredential(string token) : TokenCredential
{
    public List<string[]> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Scopes.Add(requestContext.Scopes);
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

/// <summary>An inner chat client that answers with a fixed response or fixed updates, recording the options it got.</summary>
internal sealed class ScriptedChatClient(ChatResponse? response = null, IReadOnlyList<ChatResponseUpdate>? updates = null) : IChatClient
{
    public List<ChatOptions?> Options { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Options.Add(options);
        return Task.FromResult(response ?? throw new InvalidOperationException("No response scripted."));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Options.Add(options);
        foreach (var update in updates ?? [])
        {
            await Task.Yield();
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
