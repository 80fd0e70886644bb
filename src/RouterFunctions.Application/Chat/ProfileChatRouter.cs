using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using RouterFunctions.Application.Routing;
using RouterFunctions.Chat;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Application.Chat;

/// <summary>
/// The router behind the chat client: the conversation's routing text (the latest user turn first, then the system
/// prompt, then earlier user turns) routed on the current profile, with the policy the model name picks, over the
/// profile's models that have a backend; of those, the ones whose circuit is open are left out (or, when all are, the
/// route is escalated: see <see cref="BackendExclusions"/>). <see cref="ChatCompletions"/> checks first that routing
/// can happen, so the exceptions here are for callers that skipped the checks.
/// </summary>
public sealed class ProfileChatRouter(RoutingService routing, ProfileHolder profiles, ChatBackends backends, IOptions<RouterOptions> settings) : IChatRouter
{
    public async ValueTask<ChatRoute> RouteAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var router = profiles.Current ?? throw new InvalidOperationException("The router has no profile yet.");
        var policy = PolicyFor(options?.ModelId) ?? throw new ArgumentException($"Unknown routing policy in model '{options?.ModelId}'.", nameof(options));
        var routed = await routing.RouteAsync(router, RoutingText(messages, settings.Value.ChatRoutingUserTurns), policy, Callable(router), cancellationToken);
        var candidates = routed.Decision.Candidates;
        var ranked = candidates.Where(c => c.Model == routed.Decision.Model).Concat(candidates.Where(c => c.Model != routed.Decision.Model));
        return new ChatRoute(
            routed.RequestId, [.. ranked.Select(c => new ChatRouteCandidate(c.Model, c.PredictedQuality, c.PredictedCost))], routed.Excluded, routed.Escalated);
    }

    /// <summary>The policy of "router" (the default λ) or "router:&lt;name&gt;"; null for an unknown name.</summary>
    public RoutingPolicy? PolicyFor(string? model)
    {
        var name = model is null || !ChatModels.IsRouter(model) ? null : ChatModels.PolicyOf(model);
        return name is null
            ? new RoutingPolicy { CostWeight = settings.Value.DefaultCostWeight }
            : settings.Value.Policies.TryGetValue(name, out var named) ? named.ToPolicy() : null;
    }

    /// <summary>The profile's enabled models that have a configured backend.</summary>
    public IReadOnlyList<string> Callable(Router router)
    {
        ArgumentNullException.ThrowIfNull(router);
        return [.. router.Profile.Models.Where(m => m.Enabled).Select(m => m.Name).Where(backends.Contains)];
    }

    /// <summary>What a conversation is routed on: the latest user turn, the system prompt, then up to <paramref name="userTurns"/> − 1 earlier user turns.</summary>
    public static string RoutingText(IReadOnlyList<ChatMessage> messages, int userTurns)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var users = messages.Where(m => m.Role == ChatRole.User && !string.IsNullOrWhiteSpace(m.Text)).Select(m => m.Text).Reverse().Take(Math.Max(userTurns, 1)).ToList();
        var system = messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text);
        return string.Join("\n", users.Take(1).Concat(system).Concat(users.Skip(1)).Where(t => !string.IsNullOrWhiteSpace(t)));
    }
}
