// One Flex Consumption (FC1) plan and the function app on it (Flex allows one app per plan). main.bicep uses it twice:
//   - `api`:     the isolated-worker HTTP app (functionAppConfig runtime 'dotnet-isolated' 10.0). The host reads
//                functions.metadata / worker.config.json / .azurefunctions/ from the package and starts
//                RouterFunctions.Functions.dll on the platform's .NET 10.
//   - `workers`: the Service Bus consumers as a custom handler (runtime 'custom' 1.0). The host reads host.json and
//                <Name>/function.json from the package, loads the triggers from the extension bundle and starts the
//                self-contained RouterFunctions.Workers executable.
// Each app runs as its own user-assigned identity; every connection setting is identity-based, so no key or
// connection string with a secret appears anywhere. FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION are left
// out on purpose: on Flex Consumption the runtime comes from functionAppConfig.runtime.

@description('Function app name (also its host name). The Functions host id is the name cut to 32 characters: keep the two apps\' names distinct within 32 characters, since they share the host storage account.')
@maxLength(60)
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

param tags object = {}

@description('azd service name (azure.yaml `services.<name>`): azd finds the deployment target by the azd-service-name tag.')
param serviceName string

@description('functionAppConfig.runtime.name: dotnet-isolated (the HTTP app) or custom (the custom-handler consumers).')
@allowed(['dotnet-isolated', 'custom'])
param runtimeName string

@description('functionAppConfig.runtime.version: 10.0 for dotnet-isolated, 1.0 for custom.')
param runtimeVersion string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (for AzureWebJobsStorage, Service Bus, Azure.Identity and App Insights).')
param identityClientId string

@description('Name of the storage account holding the host storage, the deployment containers and the tables.')
param storageAccountName string

@description('Blob container this app\'s package is deployed from (one per app).')
param deploymentContainerName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Memory per instance (MB): 512, 2048 or 4096.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on scale-out.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Extra app settings (model pool, router state, Service Bus namespace, ...). The host settings below win on a clash.')
param appSettings object = {}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

// Host storage: identity-based. The host keeps its keys and leases in blobs (the timer trigger's schedule monitor
// too); the table entry lets the host use the same connection for table-based features. No queue endpoint: nothing
// uses storage queues.
var hostSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  // The app's own Azure SDK clients (DefaultAzureCredential / ManagedIdentityCredential): tables, the Service Bus
  // sender, Azure OpenAI.
  AZURE_CLIENT_ID: identityClientId
  // Application Insights with local auth disabled: the host (and the worker's exporter) authenticate as the identity.
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the deployment target by this tag (service `serviceName` in azure.yaml).
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(appSettings, hostSettings)
  }
}

// No publishing passwords: deployments (azd, az CLI) authenticate with Entra ID.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output id string = functionApp.id
output defaultHostName string = functionApp.properties.defaultHostName
output uri string = 'https://${functionApp.properties.defaultHostName}'
