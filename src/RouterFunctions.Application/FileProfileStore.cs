using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Application;

/// <summary>
/// A profile in one JSON file (the CLI's artifact), replaced atomically so a reader never sees half a profile.
/// One writer at a time (the CLI); the deployed router uses the table store.
/// </summary>
public sealed class FileProfileStore(string path) : IProfileStore
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public async Task<RoutingProfile?> GetCurrentAsync(CancellationToken cancellationToken) =>
        File.Exists(Path) ? ProfileJson.Deserialize(await File.ReadAllTextAsync(Path, cancellationToken)) : null;

    public async Task<int?> GetCurrentVersionAsync(CancellationToken cancellationToken) => (await GetCurrentAsync(cancellationToken))?.Version;

    public async Task<bool> TryPublishAsync(RoutingProfile profile, int? expectedCurrent, CancellationToken cancellationToken)
    {
        if (await GetCurrentVersionAsync(cancellationToken) != expectedCurrent)
        {
            return false;
        }

        await PublishAsync(profile, cancellationToken);
        return true;
    }

    /// <summary>Writes the profile whatever is there (the CLI's 'train -o').</summary>
    public async Task PublishAsync(RoutingProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        await File.WriteAllTextAsync(temporary, ProfileJson.Serialize(profile), cancellationToken);
        File.Move(temporary, Path, overwrite: true);
    }
}
