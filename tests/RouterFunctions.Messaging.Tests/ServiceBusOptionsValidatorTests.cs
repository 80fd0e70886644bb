namespace RouterFunctions.Messaging.Tests;

public sealed class ServiceBusOptionsValidatorTests
{
    private static readonly ServiceBusOptionsValidator Validator = new();

    [Fact]
    public void A_namespace_alone_is_valid()
    {
        var result = Validator.Validate(null, new ServiceBusOptions { FullyQualifiedNamespace = "contoso.servicebus.windows.net" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void A_connection_string_alone_is_valid()
    {
        var result = Validator.Validate(null, new ServiceBusOptions { ConnectionString = ServiceBusMessageSenderFactoryTests.ConnectionString });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", " ")]
    public void Neither_fails_naming_both_keys(string? fullyQualifiedNamespace, string? connectionString)
    {
        var result = Validator.Validate(null, new ServiceBusOptions { FullyQualifiedNamespace = fullyQualifiedNamespace, ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.Contains("neither", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ServiceBusConnection__fullyQualifiedNamespace", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ServiceBusConnection:connectionString", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_fail()
    {
        var result = Validator.Validate(null, new ServiceBusOptions
        {
            FullyQualifiedNamespace = "contoso.servicebus.windows.net",
            ConnectionString = ServiceBusMessageSenderFactoryTests.ConnectionString,
        });

        Assert.True(result.Failed);
        Assert.Contains("both", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("exactly one", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sb://contoso.servicebus.windows.net")]
    [InlineData("https://contoso.servicebus.windows.net/")]
    [InlineData("contoso servicebus")]
    public void A_namespace_that_is_not_a_host_name_fails(string fullyQualifiedNamespace)
    {
        var result = Validator.Validate(null, new ServiceBusOptions { FullyQualifiedNamespace = fullyQualifiedNamespace });

        Assert.True(result.Failed);
        Assert.Contains("not a host name", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_fails_without_echoing_it()
    {
        const string secret = "SharedAccessKey=c2VjcmV0LWtleQ==;Nonsense";

        var result = Validator.Validate(null, new ServiceBusOptions { ConnectionString = secret });

        Assert.True(result.Failed);
        Assert.Contains("connectionString", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWtleQ==", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_without_an_endpoint_fails()
    {
        var result = Validator.Validate(null, new ServiceBusOptions { ConnectionString = "SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=dGVzdA==" });

        Assert.True(result.Failed);
        Assert.Contains("Endpoint", result.FailureMessage, StringComparison.Ordinal);
    }
}
