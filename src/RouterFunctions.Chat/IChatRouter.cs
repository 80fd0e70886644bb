using Microsoft.Extensions.AI;

namespace RouterFunctions.Chat;

/// <summary>
/// The routing decision for one conversation, as <see cref="RoutingChatClient"/> needs it: the application
/// implements it over its router (profile, policy, embeddings) and registers it. It may read
/// <see cref="ChatOptions.ModelId"/> (e.g. a policy named as "router:cheap"); a configured model name never reaches
/// it (that is a pass-through). It throws when it cannot route (no profile yet): the error propagates to the caller.
/// </summary>
public interface IChatRouter
{
    ValueTask<ChatRoute> RouteAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken);
}

/// <summary>One routed request: its id (the one feedback and failures are recorded under) and its ranking.</summary>
/// <param name="Candidates">Best first; failover tries them in this order.</param>
/// <param name="Excluded">Models left out of the ranking because their circuit is open; null or empty when none.</param>
/// <param name="Escalated">
/// Why the candidates are called although their circuits are open (e.g. "all backends open"), or null: every
/// candidate was open, so routing chose one anyway and says so, rather than answering nothing.
/// </param>
public sealed record ChatRoute(
    string RequestId, IReadOnlyList<ChatRouteCandidate> Candidates, IReadOnlyList<BackendExclusion>? Excluded = null, string? Escalated = null)
{
    /// <summary>The candidate entry of <paramref name="model"/> (e.g. the one that answered), or null.</summary>
    public ChatRouteCandidate? Find(string? model) => Candidates.FirstOrDefault(c => string.Equals(c.Model, model, StringComparison.Ordinal));
}

/// <summary>A ranked model and what the router predicted for it (the HTTP layer's x-router-predicted-* headers).</summary>
public sealed record ChatRouteCandidate(string Model, double PredictedQuality, double PredictedCost);
