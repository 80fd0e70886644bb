using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Application;

/// <summary>
/// The router for the current profile, and whether storage answered lately. Swapping is one reference write, so
/// requests in flight finish on the version they started with and new ones see the new version: nothing is dropped.
/// </summary>
public sealed class ProfileHolder
{
    private volatile Router? _router;
    private volatile string? _storageError;

    public Router? Current => _router;

    /// <summary>Null while storage answers; else why the router is running on its last-known profile.</summary>
    public string? StorageError => _storageError;

    public bool StorageReachable => _storageError is null;

    public void Set(RoutingProfile profile) => _router = new Router(profile);

    public void StorageFailed(string error) => _storageError = error;

    public void StorageOk() => _storageError = null;
}
