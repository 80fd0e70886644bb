using RouterFunctions.Core.Embeddings;
using RouterFunctions.Hosting;

namespace RouterFunctions.Handler.Endpoints;

internal static class StatusEndpoints
{
    /// <summary>GET /api/profiles/current: the whole profile the router uses now.</summary>
    public static IResult CurrentProfile(ProfileHolder profiles) =>
        profiles.Current is { } router
            ? TypedResults.Json(router.Profile, Core.Profiles.ProfileJson.Options)
            : Problems.NotReady("No profile is loaded yet.");

    /// <summary>GET /api/health: what an operator needs to see at a glance.</summary>
    public static IResult Health(ProfileHolder profiles, ProfileStartup startup, LruEmbeddingCache cache, TimeProvider time)
    {
        var profile = profiles.Current?.Profile;
        return TypedResults.Ok(new
        {
            status = profile is null ? "starting" : "ready",
            startup = startup.Status,
            profileVersion = profile?.Version,
            profileCreatedAt = profile?.CreatedAt,
            profileAgeSeconds = profile is null ? (double?)null : Math.Round((time.GetUtcNow() - profile.CreatedAt).TotalSeconds),
            modelLoaded = true,
            storageReachable = profiles.StorageReachable,
            storageError = profiles.StorageError,
            embeddingCacheEntries = cache.Count,
        });
    }
}
