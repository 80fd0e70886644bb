namespace RouterFunctions.Core.Profiles;

/// <summary>Where profiles live: a file locally, Table Storage when deployed.</summary>
public interface IProfileStore
{
    /// <summary>The current profile, or null when none has been published yet.</summary>
    Task<RoutingProfile?> GetCurrentAsync(CancellationToken cancellationToken);

    Task PublishAsync(RoutingProfile profile, CancellationToken cancellationToken);
}
