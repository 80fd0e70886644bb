using Microsoft.Extensions.Options;

namespace RouterFunctions.Application.Configuration;

/// <summary>
/// A setting the app cannot start with: which one, the value it had (resolved, e.g. a relative path made absolute),
/// what is wrong with it and how to fix it. The hosts print it as one line and exit with code 2.
/// </summary>
/// <param name="Value">Null when the setting is not set.</param>
/// <param name="Fix">What to do instead; null when <paramref name="Problem"/> already says it.</param>
public sealed record ConfigurationError(string Setting, string? Value, string Problem, string? Fix)
{
    /// <summary>The exit code of a host that stops for bad configuration (1 is left to crashes).</summary>
    public const int ExitCode = 2;

    /// <summary><c>Setting = 'value': problem; fix</c>: the form every validator here fails with.</summary>
    public override string ToString() =>
        Fix is null ? $"{Setting} = '{Value}': {Problem}" : $"{Setting} = '{Value}': {Problem}; {Fix}";

    /// <summary>As an options validation failure, so <c>ValidateOnStart</c> stops the host with this text.</summary>
    public ValidateOptionsResult ToResult() => ValidateOptionsResult.Fail(ToString());
}
