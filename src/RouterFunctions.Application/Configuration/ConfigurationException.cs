namespace RouterFunctions.Application.Configuration;

/// <summary>
/// Carries a <see cref="ConfigurationError"/> out of code that cannot return one (a host's composition callback, a
/// service factory), to the host's start-up guard, which prints it as one line and exits with code 2.
/// </summary>
public sealed class ConfigurationException(ConfigurationError error) : Exception(error?.ToString())
{
    public ConfigurationError Error { get; } = error ?? throw new ArgumentNullException(nameof(error));
}
