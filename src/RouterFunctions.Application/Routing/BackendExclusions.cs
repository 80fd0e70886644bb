using RouterFunctions.Chat;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Application.Routing;

/// <summary>
/// The models a decision may pick once the backends' circuits are read, and why the others are not there.
/// <see cref="Allowed"/> is what <c>Router.Decide</c> gets (null: every enabled model, as asked).
/// </summary>
/// <param name="Excluded">The asked-for models left out because their circuit is open.</param>
/// <param name="Escalated">Set when every asked-for model is open: routing then picks one anyway and says why here.</param>
public sealed record HealthFilter(IReadOnlyCollection<string>? Allowed, IReadOnlyList<BackendExclusion> Excluded, string? Escalated);

/// <summary>
/// Health-aware routing (the Self-Healing Router): a model whose circuit is open is an edge of infinite weight, left
/// out of the decision, and the answer names it with its reason and reopening time. Never a silent choice: when every
/// candidate is open, the decision is escalated to the one that opened longest ago (the first to be probed again,
/// profile order breaking ties), and the answer says so; it is never "no model". Models without a breaker (no
/// configured backend) are always routable.
/// </summary>
public static class BackendExclusions
{
    public const string AllOpen = "all backends open";

    public static HealthFilter Apply(RoutingProfile profile, IReadOnlyCollection<string>? allowedModels, IReadOnlyList<BackendState> backends)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(backends);
        var open = backends.Where(b => !b.Routable).ToDictionary(b => b.Model, StringComparer.Ordinal);
        if (open.Count == 0)
        {
            return new HealthFilter(allowedModels, [], null);
        }

        var asked = profile.Models
            .Where(m => m.Enabled && (allowedModels is null || allowedModels.Count == 0 || allowedModels.Contains(m.Name)))
            .Select(m => m.Name)
            .ToList();
        var excluded = asked.Where(open.ContainsKey).ToList();
        if (excluded.Count == 0)
        {
            return new HealthFilter(allowedModels, [], null);
        }

        var exclusions = excluded.Select(m => BackendExclusion.Of(open[m])).ToList();
        var routable = asked.Where(m => !open.ContainsKey(m)).ToList();
        if (routable.Count > 0)
        {
            return new HealthFilter(routable, exclusions, null);
        }

        // OrderBy is stable: among equal times the profile's order decides.
        var chosen = excluded.OrderBy(m => open[m].Since ?? DateTimeOffset.MinValue).First();
        return new HealthFilter([chosen], exclusions, AllOpen);
    }
}
