using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace RouterFunctions.Application;

/// <summary>
/// The one credential every Azure client uses (tables, Service Bus, Azure OpenAI, Azure Monitor): the user-assigned
/// managed identity named by AZURE_CLIENT_ID when deployed, the developer's sign-in locally.
/// </summary>
public static class AzureCredentials
{
    public static TokenCredential Create(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"] });
    }
}
