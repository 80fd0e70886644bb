// Data-plane role assignments for ONE principal on this deployment's own resources. main.bicep calls it once per app
// identity with exactly what that app uses, and once more for a developer principal (azd's AZURE_PRINCIPAL_ID) when
// grantDeveloperAccess is true:
//   api      (isolated HTTP app):   Blob Data Owner, Table Data Contributor, Service Bus Data Sender, Metrics Publisher
//   workers  (Service Bus consumers): the same plus Service Bus Data Receiver (triggers) - they send follow-ups too
// Names are guid(scope, principalId, roleId), so re-running a deployment is idempotent.

@description('Principal (object) id that gets the roles.')
param principalId string

@description('Kind of principalId.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'ServicePrincipal'

@description('Azure Service Bus Data Sender on the namespace (the HTTP app sends feedback / retrain / aggregate-calls messages; the consumers send follow-ups).')
param serviceBusSend bool

@description('Azure Service Bus Data Receiver on the namespace (Service Bus triggers).')
param serviceBusReceive bool

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

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Host storage (keys, leases, timer schedule) and the deployment containers.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

// The router's tables (profiles, decisions, feedback, stats, parked, seed, retrains, embeddings, aggregation, feedbackkeys).
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roles.storageTableDataContributor)
  scope: storage
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

resource busReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (serviceBusReceive) {
  name: guid(serviceBus.id, principalId, roles.serviceBusDataReceiver)
  scope: serviceBus
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
  }
}

resource busSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (serviceBusSend) {
  name: guid(serviceBus.id, principalId, roles.serviceBusDataSender)
  scope: serviceBus
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
}

// Telemetry into Application Insights with local auth disabled.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}
