using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RouterFunctions.Chat;

public static class ChatServiceCollectionExtensions
{
    /// <summary>
    /// The model list (section "Models", validated at start), failover settings (section "Failover"),
    /// <see cref="ChatBackends"/> and <see cref="ChatFailover"/>, all singletons. <see cref="ChatFailover"/> needs an
    /// <see cref="IModelFailureSink"/>, which the caller registers. A <see cref="TokenCredential"/> in the container, if
    /// any, is used for Azure OpenAI models without a key (else DefaultAzureCredential).
    /// </summary>
    /// <param name="httpClient">Sends every model request when given (tests); else the SDK's transport.</param>
    public static IServiceCollection AddChatBackends(
        this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, HttpClient>? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ChatModelsOptions>()
            .Configure(o => configuration.GetSection(ChatModelsOptions.SectionName).Bind(o.Models))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatModelsOptions>, ChatModelsOptionsValidation>());
        services.AddOptions<FailoverOptions>().Bind(configuration.GetSection(FailoverOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ChatBackends(
            sp.GetRequiredService<IOptions<ChatModelsOptions>>().Value.Models,
            httpClient?.Invoke(sp),
            sp.GetService<TokenCredential>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ChatFailover>();
        return services;
    }
}
