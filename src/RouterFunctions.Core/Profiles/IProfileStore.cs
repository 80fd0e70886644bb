namespace RouterFunctions.Core.Profiles;

/// <summary>
/// Versioned, immutable profiles and one "current" pointer. Routers poll <see cref="GetCurrentVersionAsync"/> (cheap)
/// and load a profile only when the version moved; publishers switch the pointer atomically.
/// </summary>
public interface IProfileStore
{
    /// <summary>The current profile, or null when none has been published yet.</summary>
    Task<RoutingProfile?> GetCurrentAsync(CancellationToken cancellationToken);

    /// <summary>The current version number without loading the profile; null when none is published.</summary>
    Task<int?> GetCurrentVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores the profile and makes it current only if the current version is still <paramref name="expectedCurrent"/>
    /// (null: none yet). False when another publisher got there first: of two concurrent publishers, one wins.
    /// </summary>
    Task<bool> TryPublishAsync(RoutingProfile profile, int? expectedCurrent, CancellationToken cancellationToken);
}
