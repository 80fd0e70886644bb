using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RouterFunctions.Messaging.Tests;

public sealed class AddServiceBusMessagingTests
{
    private static ServiceProvider Provider(Dictionary<string, string?> settings, TokenCredential? credential = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (credential is not null)
        {
            services.AddSingleton(credential);
        }

        services.AddServiceBusMessaging(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task The_deployed_setting_binds_and_the_containers_credential_is_used()
    {
        // ServiceBusConnection__fullyQualifiedNamespace in the app settings reads as this key.
        await using var provider = Provider(
            new() { ["ServiceBusConnection:fullyQualifiedNamespace"] = "contoso.servicebus.windows.net" }, new TestCredential());

        var sender = Assert.IsType<ServiceBusMessageSender>(provider.GetRequiredService<IMessageSender>());

        Assert.Equal("contoso.servicebus.windows.net", sender.Client.FullyQualifiedNamespace);
        Assert.Same(sender, provider.GetRequiredService<ServiceBusMessageSender>());
        Assert.Same(sender, provider.GetRequiredService<IMessageSender>());
    }

    [Fact]
    public async Task A_namespace_without_a_registered_credential_fails_at_resolve_time_saying_so()
    {
        await using var provider = Provider(new() { ["ServiceBusConnection:fullyQualifiedNamespace"] = "contoso.servicebus.windows.net" });

        var e = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IMessageSender>());

        Assert.Contains("Azure.Core.TokenCredential", e.Message, StringComparison.Ordinal);
        Assert.Contains("contoso.servicebus.windows.net", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_needs_no_credential()
    {
        await using var provider = Provider(new() { ["ServiceBusConnection:connectionString"] = ServiceBusMessageSenderFactoryTests.ConnectionString });

        var sender = Assert.IsType<ServiceBusMessageSender>(provider.GetRequiredService<IMessageSender>());

        Assert.Equal("dev-namespace.servicebus.windows.net", sender.Client.FullyQualifiedNamespace);
    }

    [Fact]
    public async Task Missing_settings_fail_the_startup_validation()
    {
        await using var provider = Provider([], new TestCredential());

        // What the host runs before it starts, thanks to ValidateOnStart.
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("neither", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Both_settings_fail_the_startup_validation()
    {
        await using var provider = Provider(
            new()
            {
                ["ServiceBusConnection:fullyQualifiedNamespace"] = "contoso.servicebus.windows.net",
                ["ServiceBusConnection:connectionString"] = ServiceBusMessageSenderFactoryTests.ConnectionString,
            },
            new TestCredential());

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("both", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_settings_pass_the_startup_validation()
    {
        await using var provider = Provider(new() { ["ServiceBusConnection:fullyQualifiedNamespace"] = "contoso.servicebus.windows.net" }, new TestCredential());

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task Disposing_the_container_disposes_the_client_it_made()
    {
        var provider = Provider(new() { ["ServiceBusConnection:connectionString"] = ServiceBusMessageSenderFactoryTests.ConnectionString });
        var sender = provider.GetRequiredService<ServiceBusMessageSender>();

        await provider.DisposeAsync();

        Assert.True(sender.Client.IsClosed);
    }
}
