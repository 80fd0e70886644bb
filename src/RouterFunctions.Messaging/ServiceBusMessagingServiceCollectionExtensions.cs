using Azure.Core;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RouterFunctions.Messaging;

/// <summary>Registers the Service Bus adapter of <see cref="IMessageSender"/>.</summary>
public static class ServiceBusMessagingServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ServiceBusOptions"/> from the section "ServiceBusConnection" of <paramref name="configuration"/>
    /// (validated when the host starts) and registers <see cref="ServiceBusMessageSender"/> as the singleton
    /// <see cref="IMessageSender"/>. With a namespace it authenticates with the <see cref="TokenCredential"/> the
    /// application registers, the one credential for every Azure client; this method does not make one.
    /// </summary>
    /// <param name="configureClient">Client settings such as retries or AMQP over WebSockets, if the defaults don't fit.</param>
    public static IServiceCollection AddServiceBusMessaging(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<ServiceBusClientOptions>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ServiceBusOptions>()
            .Bind(configuration.GetSection(ServiceBusOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceBusOptions>, ServiceBusOptionsValidator>());

        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value;
            TokenCredential? credential = null;
            if (!string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace))
            {
                credential = sp.GetService<TokenCredential>() ?? throw new InvalidOperationException(
                    $"Service Bus namespace '{options.FullyQualifiedNamespace}' is identity-based, but no {typeof(TokenCredential).FullName} is registered. " +
                    "Register the application's credential (the one every Azure client uses) before resolving IMessageSender.");
            }

            var clientOptions = new ServiceBusClientOptions();
            configureClient?.Invoke(clientOptions);
            return ServiceBusMessageSender.Create(options, credential, clientOptions, sp.GetService<ILogger<ServiceBusMessageSender>>());
        });
        services.TryAddSingleton<IMessageSender>(sp => sp.GetRequiredService<ServiceBusMessageSender>());
        return services;
    }
}
