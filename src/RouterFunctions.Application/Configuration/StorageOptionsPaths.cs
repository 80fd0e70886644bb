using Microsoft.Extensions.Options;
using RouterFunctions.Storage;

namespace RouterFunctions.Application.Configuration;

/// <summary>The local store's journal folder made absolute against <see cref="RelativePathBase"/> (empty stays empty: in memory).</summary>
internal sealed class StorageOptionsPaths(RelativePathBase paths) : IPostConfigureOptions<StorageOptions>
{
    public void PostConfigure(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.LocalDirectory = paths.Resolve(options.LocalDirectory);
    }
}
