using RouterFunctions.Application.Configuration;

namespace RouterFunctions.Local;

/// <summary>The file named by <c>--Config</c>: one more JSON configuration file, e.g. <c>config/local-simulated.json</c>.</summary>
internal static class ConfigFile
{
    public const string Setting = "Config";

    /// <summary>
    /// Adds the file over appsettings, then the environment and the command line again so they still win over it, as
    /// they do over appsettings. A relative path is resolved against <paramref name="paths"/> (where the user stands).
    /// A missing or malformed file is a <see cref="ConfigurationError"/>; no <c>Config</c> setting adds nothing.
    /// </summary>
    public static ConfigurationError? Add(ConfigurationManager configuration, string[] args, RelativePathBase paths)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Resolve(configuration[Setting]) is not { Length: > 0 } path)
        {
            return null;
        }

        if (!File.Exists(path))
        {
            return new ConfigurationError(Setting, path, "no such file",
                "give a JSON settings file, e.g. --Config config/local-simulated.json from the repository root");
        }

        try
        {
            configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        }
        catch (InvalidDataException e)
        {
            return new ConfigurationError(Setting, path, "not valid JSON settings: " + (e.InnerException ?? e).Message, "fix the file");
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
        return null;
    }
}
