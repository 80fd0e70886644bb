namespace RouterFunctions.Local;

/// <summary>The file named by <c>--Config</c>: one more JSON configuration file, e.g. <c>config/local-simulated.json</c>.</summary>
internal static class ConfigFile
{
    /// <summary>
    /// An absolute path as given; a relative one against the working directory, else against the nearest ancestor of it
    /// that has the file: <c>dotnet run --project src/RouterFunctions.Local</c> runs in the project's directory, so a
    /// path written from the repository root is found there too. Not found anywhere: the working directory's path, so
    /// the error names it.
    /// </summary>
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, path);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.GetFullPath(path);
    }
}
