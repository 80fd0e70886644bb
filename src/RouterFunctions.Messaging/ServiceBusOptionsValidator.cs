using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;

namespace RouterFunctions.Messaging;

/// <summary>
/// Checks <see cref="ServiceBusOptions"/> at startup, so a missing or doubled setting stops the app with a message that
/// names the keys, instead of failing at the first send minutes later.
/// </summary>
public sealed class ServiceBusOptionsValidator : IValidateOptions<ServiceBusOptions>
{
    private const string Keys =
        $"{ServiceBusOptions.SectionName}:fullyQualifiedNamespace (identity-based, app setting {ServiceBusOptions.SectionName}__fullyQualifiedNamespace) " +
        $"or {ServiceBusOptions.SectionName}:connectionString (development and tests)";

    public ValidateOptionsResult Validate(string? name, ServiceBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hasNamespace = !string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace);
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (hasNamespace == hasConnectionString)
        {
            return ValidateOptionsResult.Fail(hasNamespace
                ? $"Service Bus: both are set; set exactly one of {Keys}."
                : $"Service Bus: neither is set; set exactly one of {Keys}.");
        }

        if (hasNamespace)
        {
            // The client wants a bare host name; a URL here ("sb://…", "https://…") would fail only at the first send.
            var host = options.FullyQualifiedNamespace!;
            if (Uri.CheckHostName(host) != UriHostNameType.Dns)
            {
                return ValidateOptionsResult.Fail(
                    $"Service Bus: {ServiceBusOptions.SectionName}:fullyQualifiedNamespace '{host}' is not a host name; expected e.g. contoso.servicebus.windows.net.");
            }

            return ValidateOptionsResult.Success;
        }

        try
        {
            var properties = ServiceBusConnectionStringProperties.Parse(options.ConnectionString!);
            if (properties.Endpoint is null)
            {
                return ValidateOptionsResult.Fail($"Service Bus: {ServiceBusOptions.SectionName}:connectionString has no Endpoint.");
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // The parser's message is kept but not the string itself, which holds the access key.
            return ValidateOptionsResult.Fail($"Service Bus: {ServiceBusOptions.SectionName}:connectionString is malformed: {e.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
