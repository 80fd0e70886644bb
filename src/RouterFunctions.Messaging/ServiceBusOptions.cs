namespace RouterFunctions.Messaging;

/// <summary>
/// Where the Service Bus namespace is. Bound from the section "ServiceBusConnection", the connection the Service Bus
/// bindings in functions/*/function.json use, so the handler and the Functions host read the same settings.
/// </summary>
/// <remarks>
/// Exactly one of the two: deployed, <see cref="FullyQualifiedNamespace"/> (app setting
/// <c>ServiceBusConnection__fullyQualifiedNamespace</c>) with the application's TokenCredential; in development and
/// tests, <see cref="ConnectionString"/>. The other keys the host reads there (credential, clientId) are for the
/// host; the application's own credential is the TokenCredential it registers.
/// </remarks>
public sealed class ServiceBusOptions
{
    /// <summary>The configuration section, as the bindings' <c>"connection": "ServiceBusConnection"</c> names it.</summary>
    public const string SectionName = "ServiceBusConnection";

    /// <summary>The namespace's host name, e.g. <c>contoso.servicebus.windows.net</c>; authenticated with a TokenCredential.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>A shared access connection string, for development and tests (key <c>ServiceBusConnection:connectionString</c>).</summary>
    public string? ConnectionString { get; set; }
}
