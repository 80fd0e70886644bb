namespace RouterFunctions.Application.Configuration;

/// <summary>
/// The folder a relative path in the settings (model folder, training data, profile file, local store) is resolved
/// against: the current directory, i.e. where the user started the command, never the project folder or the content
/// root. Deployed hosts run with the current directory at their package, so theirs resolve inside the package.
/// Registered only when the app has none, so a test can give its own folder without changing the process's.
/// </summary>
public sealed record RelativePathBase(string Directory)
{
    public static RelativePathBase Current() => new(System.IO.Directory.GetCurrentDirectory());

    /// <summary>Absolute as given; relative against <see cref="Directory"/>; null or blank stays as it is.</summary>
    public string? Resolve(string? path) =>
        string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path, Directory);
}
