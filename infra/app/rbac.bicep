// Data-plane role assignments on this deployment's own resources. The app's identity gets exactly what it uses;
// a developer principal (azd's AZURE_PRINCIPAL_ID) gets the same data roles only when grantDeveloperAccess is true,
// e.g. to run the handler locally against the cloud resources.
// Names are guid(scope, principalId, roleId), so re-running a deployment is idempotent.

@description('Principal (object) id of the app\'s user-assigned identity.')
param identityPrincipalId string

@description('Optional developer principal id; ignored unless grantDeveloperAccess is true.')
param developerPrincipalId string = ''

@description('Also grant the data roles to developerPrincipalId.')
param grantDeveloperAccess bool = false

@description('Kind of developerPrincipalId.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param developerPrincipalType string = 'User'

param storageAccountName string
param serviceBusNamespaceName string
param applicationInsightsName string

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

var principals = concat(
  [{ id: identityPrincipalId, type: 'ServicePrincipal' }],
  grantDeveloperAccess && !empty(developerPrincipalId) ? [{ id: developerPrincipalId, type: developerPrincipalType }] : []
)

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Host storage (keys, leases), the deployment container and the profile blobs.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for p in principals: {
    name: guid(storage.id, p.id, roles.storageBlobDataOwner)
    scope: storage
    properties: {
      principalId: p.id
      principalType: p.type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    }
  }
]

// The router's tables (profiles, decisions, feedback, stats, parked, seed, retrains, embeddings, aggregation).
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for p in principals: {
    name: guid(storage.id, p.id, roles.storageTableDataContributor)
    scope: storage
    properties: {
      principalId: p.id
      principalType: p.type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    }
  }
]

// Service Bus triggers (receive) and output bindings / fan-out (send).
resource busReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for p in principals: {
    name: guid(serviceBus.id, p.id, roles.serviceBusDataReceiver)
    scope: serviceBus
    properties: {
      principalId: p.id
      principalType: p.type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
    }
  }
]

resource busSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for p in principals: {
    name: guid(serviceBus.id, p.id, roles.serviceBusDataSender)
    scope: serviceBus
    properties: {
      principalId: p.id
      principalType: p.type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
    }
  }
]

// Telemetry into Application Insights with local auth disabled.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for p in principals: {
    name: guid(appInsights.id, p.id, roles.monitoringMetricsPublisher)
    scope: appInsights
    properties: {
      principalId: p.id
      principalType: p.type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    }
  }
]
