using Azure.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RouterFunctions.Chat;

public static class ChatServiceCollectionExtensions
{
    /// <summary>
    /// The model list (section "Models", validated at start), failover settings (section "Failover"), the models'
    /// circuit breakers (section "Failover:Breaker": <see cref="BackendHealthMonitor"/>, also as <see cref="IBackendHealth"/>)
    /// and <see cref="ChatBackends"/>, all singletons. A <see cref="TokenCredential"/> in the container, if any, is used for
    /// Azure OpenAI models without a key (else DefaultAzureCredential).
    /// </summary>
    /// <param name="httpClient">Sends every model request when given (tests); else the SDK's transport.</param>
    /// <remarks>Once only: a second call (e.g. from <see cref="AddRoutingChatClient"/>) changes nothing, because binding
    /// the "Models" list twice would list every model twice.</remarks>
    public static IServiceCollection AddChatBackends(
        this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, HttpClient>? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(ChatBackends)))
        {
            return services;
        }

        services.AddOptions<ChatModelsOptions>()
            .Configure(o => configuration.GetSection(ChatModelsOptions.SectionName).Bind(o.Models))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatModelsOptions>, ChatModelsOptionsValidation>());
        services.AddOptions<FailoverOptions>().Bind(configuration.GetSection(FailoverOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BreakerOptions>().Bind(configuration.GetSection(BreakerOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BreakerOptions>, BreakerOptionsValidation>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new BackendHealthMonitor(
            sp.GetRequiredService<IOptions<ChatModelsOptions>>().Value.Models.Where(m => m.Enabled).Select(m => m.Name),
            sp.GetRequiredService<IOptions<BreakerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<BackendHealthMonitor>>()));
        services.TryAddSingleton<IBackendHealth>(sp => sp.GetRequiredService<BackendHealthMonitor>());
        services.TryAddSingleton(sp => new ChatBackends(
            sp.GetRequiredService<IOptions<ChatModelsOptions>>().Value.Models,
            httpClient?.Invoke(sp),
            sp.GetService<TokenCredential>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<BackendHealthMonitor>()));
        return services;
    }

    /// <summary>
    /// Everything of <see cref="AddChatBackends"/>, a singleton <see cref="RoutingChatClient"/> over those backends, and
    /// the application's one <see cref="IChatClient"/> (singleton): the routing client inside a
    /// <see cref="ChatClientBuilder"/>, which is returned so the caller can add the usual middleware, e.g.
    /// <c>.UseLogging().UseOpenTelemetry()</c>. The caller registers the <see cref="IChatRouter"/> and the
    /// <see cref="IModelFailureSink"/> (it gets routed failures with their request id, pass-through ones with none).
    /// </summary>
    public static ChatClientBuilder AddRoutingChatClient(
        this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, HttpClient>? httpClient = null)
    {
        services.AddChatBackends(configuration, httpClient);
        services.TryAddSingleton(sp => new RoutingChatClient(
            sp.GetRequiredService<ChatBackends>().Clients,
            sp.GetRequiredService<IChatRouter>(),
            sp.GetRequiredService<IModelFailureSink>(),
            sp.GetRequiredService<IOptions<FailoverOptions>>().Value.MaxAttempts,
            sp.GetService<ILoggerFactory>()?.CreateLogger<RoutingChatClient>()));
        return services.AddChatClient(sp => sp.GetRequiredService<RoutingChatClient>());
    }
}
