using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using RouterFunctions.Application.Configuration;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Http;

/// <summary>
/// Runs a host so that bad configuration ends it with one line on stderr
/// (<c>error: Setting = 'value': what is wrong; the fix</c>) and exit code 2, instead of an unhandled exception's
/// stack trace and exit code 134. Anything else is not the user's to fix and still crashes as it would.
/// </summary>
public static partial class StartupGuard
{
    /// <summary>
    /// Builds the host with <paramref name="build"/> (the composition: a bad value found by an eager bind ends here
    /// too), checks the options and builds the hosted services before starting (so the host's own "failed to start"
    /// log with its stack trace never comes), then runs until shutdown. Returns the process's exit code.
    /// Only when <paramref name="build"/> belongs to the process's entry assembly: a test host that calls the entry
    /// point in-process (WebApplicationFactory) gets the exception, as it would without the guard.
    /// </summary>
    public static int RunOrExplain(Func<IHost> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (build.Method.Module.Assembly != Assembly.GetEntryAssembly())
        {
            build().Run();
            return 0;
        }

        IHost? host = null;
        try
        {
            host = build();
            host.Services.GetService<IStartupValidator>()?.Validate();
            _ = host.Services.GetServices<IHostedService>().ToList();
        }
        catch (Exception e) when (Explain(e) is { } line)
        {
            host?.Dispose();
            return Exit(line);
        }

        // Run disposes the host when it stops. Binding happens here: a port in use is the user's to fix too.
        try
        {
            host.Run();
        }
        catch (IOException e) when (Explain(e) is { } line)
        {
            return Exit(line);
        }

        return 0;
    }

    /// <summary>The line for a configuration failure, without "error: "; null for anything else.</summary>
    internal static string? Explain(Exception exception) => exception switch
    {
        ConfigurationException bad => bad.Error.ToString(),
        OptionsValidationException invalid => invalid.Failures.FirstOrDefault() ?? invalid.Message,
        AggregateException many => many.InnerExceptions.Select(Explain).FirstOrDefault(line => line is not null),
        EmbeddingModelException model => model.Message,
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } bind =>
            $"{bind.Message.TrimEnd('.')}; stop the process listening there, or start with --urls http://localhost:<another port>",
        InvalidOperationException unconvertible when FailedConversion().Match(unconvertible.Message) is { Success: true } m =>
            Unconvertible(m.Groups["key"].Value, m.Groups["value"].Value, m.Groups["type"].Value).ToString(),
        _ => null,
    };

    private static int Exit(string line)
    {
        // One line whatever the message holds: a log collector or a shell script reads it as one record.
        Console.Error.WriteLine("error: " + line.ReplaceLineEndings(" "));
        return ConfigurationError.ExitCode;
    }

    /// <summary>The binder's "Failed to convert ..." as the setting, its value and the values it takes.</summary>
    private static ConfigurationError Unconvertible(string key, string value, string typeName)
    {
        var type = FindType(typeName);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        var fix = type switch
        {
            { IsEnum: true } => $"use one of: {string.Join(", ", Enum.GetNames(type))}",
            _ when type == typeof(bool) => "use true or false",
            _ when type == typeof(int) || type == typeof(long) => "use a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "use a number, e.g. 0.25",
            _ when type == typeof(TimeSpan) => "use a time span, e.g. 00:00:30",
            _ when type == typeof(Uri) => "use an absolute URI, e.g. https://example.net",
            _ => $"use a {type?.Name ?? typeName}",
        };
        return new ConfigurationError(key, value, $"not a valid {type?.Name ?? typeName}", fix);
    }

    private static Type? FindType(string name) =>
        Type.GetType(name) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);

    // Microsoft.Extensions.Configuration.Binder's message for a value it cannot convert (Error_FailedBinding).
    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'\.$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex FailedConversion();
}
