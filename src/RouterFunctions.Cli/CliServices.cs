using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RouterFunctions.Application;
using RouterFunctions.Chat;

namespace RouterFunctions.Cli;

/// <summary>
/// The application's composition for one command (the same entry point the hosts use), configured from the command
/// line and, for replay, a JSON file with a "Models" section. Options are validated when first read, so a bad
/// setting is the same one clear line here as at a host's start.
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Build(
        IReadOnlyDictionary<string, string?> settings, string? jsonFile = null, HttpMessageHandler? modelTransport = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings);
        if (jsonFile is not null)
        {
            configuration.AddJsonFile(jsonFile);
        }

        var built = configuration.Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRouterCore(built);
        services.AddChatBackends(built, modelTransport is null ? null : _ => new HttpClient(modelTransport, disposeHandler: false));
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
