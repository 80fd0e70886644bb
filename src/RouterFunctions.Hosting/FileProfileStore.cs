using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Hosting;

/// <summary>The local profile store: one JSON file, replaced atomically so a reader never sees half a profile.</summary>
public sealed class FileProfileStore(string path) : IProfileStore
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public async Task<RoutingProfile?> GetCurrentAsync(CancellationToken cancellationToken) =>
        File.Exists(Path) ? ProfileJson.Deserialize(await File.ReadAllTextAsync(Path, cancellationToken)) : null;

    public async Task PublishAsync(RoutingProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        await File.WriteAllTextAsync(temporary, ProfileJson.Serialize(profile), cancellationToken);
        File.Move(temporary, Path, overwrite: true);
    }
}
