// The Flex Consumption (FC1) plan and the function app. The app runs the custom handler (functionAppConfig runtime
// 'custom' 1.0): the Functions host reads host.json and functions/*/function.json from the package and starts the
// self-contained RouterFunctions.Handler executable. It runs as the user-assigned identity; every connection
// setting is identity-based, so no key or connection string with a secret appears anywhere.

@description('Function app name (also its host name).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

param tags object = {}

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (for AzureWebJobsStorage, Service Bus, Azure.Identity and App Insights).')
param identityClientId string

@description('Name of the storage account holding the host storage, the deployment container and the tables.')
param storageAccountName string

@description('Blob container the package is deployed from.')
param deploymentContainerName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('<namespace>.servicebus.windows.net')
param serviceBusFullyQualifiedNamespace string

@description('Memory per instance (MB): 512, 2048 or 4096.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on scale-out.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Extra app settings (model pool, table and queue names, ...). The connection settings above win on a clash.')
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

// Host storage and bindings: identity-based. The host keeps its keys and leases in blobs; the table entries let
// `table` bindings use the same connection. No queue endpoint: nothing in this app uses storage queues.
var connectionSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  // The Service Bus triggers/outputs in functions/*/function.json use "connection": "ServiceBusConnection".
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  // The handler's own Azure SDK clients (DefaultAzureCredential / ManagedIdentityCredential).
  AZURE_CLIENT_ID: identityClientId
  // Application Insights with local auth disabled: the host authenticates as the identity.
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the deployment target by this tag (service `router` in azure.yaml).
  tags: union(tags, { 'azd-service-name': 'router' })
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
        name: 'custom'
        version: '1.0'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(appSettings, connectionSettings)
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
