using RouterFunctions.Core.Profiles;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Hosting;

/// <summary>
/// The router for the current profile. Swapping is one reference write, so requests in flight finish on the
/// version they started with and new ones see the new version: nothing is dropped.
/// </summary>
public sealed class ProfileHolder
{
    private volatile Router? _router;

    public Router? Current => _router;

    public void Set(RoutingProfile profile) => _router = new Router(profile);
}
