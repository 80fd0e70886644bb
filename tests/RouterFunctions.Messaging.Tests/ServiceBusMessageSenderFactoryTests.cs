using Azure.Messaging.ServiceBus;

namespace RouterFunctions.Messaging.Tests;

public sealed class ServiceBusMessageSenderFactoryTests
{
    internal const string ConnectionString =
        "Endpoint=sb://dev-namespace.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=dGVzdC1rZXk=";

    [Fact]
    public async Task A_namespace_and_credential_make_an_identity_based_client_for_that_namespace()
    {
        await using var sender = ServiceBusMessageSender.Create(
            new ServiceBusOptions { FullyQualifiedNamespace = "contoso.servicebus.windows.net" }, new TestCredential());

        Assert.Equal("contoso.servicebus.windows.net", sender.Client.FullyQualifiedNamespace);
    }

    [Fact]
    public async Task A_connection_string_makes_a_client_for_its_endpoint_without_a_credential()
    {
        await using var sender = ServiceBusMessageSender.Create(new ServiceBusOptions { ConnectionString = ConnectionString }, credential: null);

        Assert.Equal("dev-namespace.servicebus.windows.net", sender.Client.FullyQualifiedNamespace);
    }

    [Fact]
    public void A_namespace_without_a_credential_is_refused()
    {
        var e = Assert.Throws<ArgumentNullException>(() => ServiceBusMessageSender.Create(
            new ServiceBusOptions { FullyQualifiedNamespace = "contoso.servicebus.windows.net" }, credential: null));

        Assert.Equal("credential", e.ParamName);
        Assert.Contains("TokenCredential", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_validators_message()
    {
        var e = Assert.Throws<ArgumentException>(() => ServiceBusMessageSender.Create(new ServiceBusOptions(), new TestCredential()));

        Assert.Contains("neither", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_it_made_is_disposed_with_it()
    {
        var sender = ServiceBusMessageSender.Create(new ServiceBusOptions { ConnectionString = ConnectionString }, credential: null);

        await sender.DisposeAsync();

        Assert.True(sender.Client.IsClosed);
    }

    [Fact]
    public async Task Client_options_are_passed_to_the_client()
    {
        // Identifier is the one client setting the client shows afterwards, so it stands for all of them.
        var options = new ServiceBusClientOptions { TransportType = ServiceBusTransportType.AmqpWebSockets, Identifier = "router-test" };

        await using var sender = ServiceBusMessageSender.Create(new ServiceBusOptions { ConnectionString = ConnectionString }, null, options);

        Assert.Equal("router-test", sender.Client.Identifier);
    }
}
