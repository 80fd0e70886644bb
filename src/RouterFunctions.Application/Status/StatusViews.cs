using RouterFunctions.Chat;
using RouterFunctions.Core.Embeddings;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Application.Status;

/// <summary>What an operator sees at a glance: profile, startup, storage, cache, and each model backend's circuit.</summary>
/// <param name="Backends">By model name, in configuration order: closed, open (excluded from routing until retryAt) or half-open.</param>
public sealed record HealthView(
    string Status,
    string Startup,
    int? ProfileVersion,
    DateTimeOffset? ProfileCreatedAt,
    double? ProfileAgeSeconds,
    bool ModelLoaded,
    bool StorageReachable,
    string? StorageError,
    int EmbeddingCacheEntries,
    IReadOnlyDictionary<string, BackendState> Backends);

/// <summary>The read-only views: health, the current profile, past retrains.</summary>
public sealed class StatusViews(
    ProfileHolder profiles, ProfileStartup startup, LruEmbeddingCache cache, IRetrainLog retrains, TimeProvider time, IBackendHealth? health = null)
{
    public HealthView Health()
    {
        var profile = profiles.Current?.Profile;
        return new HealthView(
            profile is null ? "starting" : "ready",
            startup.Status,
            profile?.Version,
            profile?.CreatedAt,
            profile is null ? null : Math.Round((time.GetUtcNow() - profile.CreatedAt).TotalSeconds),
            ModelLoaded: true,
            profiles.StorageReachable,
            profiles.StorageError,
            cache.Count,
            Backends());
    }

    private Dictionary<string, BackendState> Backends()
    {
        // JSON objects keep insertion order: configuration order.
        var backends = new Dictionary<string, BackendState>(StringComparer.Ordinal);
        foreach (var state in health?.Snapshot() ?? [])
        {
            backends[state.Model] = state;
        }

        return backends;
    }

    public Outcome<RoutingProfile> CurrentProfile() =>
        profiles.Current is { } router ? router.Profile : UseCaseError.NotReady("No profile is loaded yet.");

    /// <summary>The latest retrains, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<RetrainOutcome>> RetrainsAsync(int limit, CancellationToken cancellationToken)
    {
        var outcomes = new List<RetrainOutcome>();
        await foreach (var outcome in retrains.ListAsync(cancellationToken))
        {
            outcomes.Add(outcome);
            if (outcomes.Count == limit)
            {
                break;
            }
        }

        return outcomes;
    }
}
