// RouterFunctions on Azure: everything `azd up` provisions. Subscription scope: creates the resource group, then
// the identity, monitoring, storage, Service Bus, the Flex Consumption function app and the role assignments.
// Plain Microsoft.* resources only (no registry modules), so `bicep build` and `bicep lint` work offline.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; also seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the signed-in user (azd sets AZURE_PRINCIPAL_ID). Used only if grantDeveloperAccess is true.')
param principalId string = ''

@description('Kind of principalId.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

@description('Also give principalId the app\'s data roles (storage blobs/tables, Service Bus, metrics), e.g. to run the handler locally against these resources. Off by default: only the app\'s identity gets roles.')
param grantDeveloperAccess bool = false

@description('One model the router may send queries to.')
type modelDeployment = {
  @description('Name the router uses for this model (must match the model names in the routing profile).')
  name: string

  @description('AzureOpenAI (default: deployment in the path, Entra ID auth as the app\'s identity) or OpenAICompatible (model id in the body).')
  kind: ('AzureOpenAI' | 'OpenAICompatible')?

  @description('Endpoint of the deployment: an Azure OpenAI resource (https://<resource>.openai.azure.com/) or any OpenAI-compatible base URL (usually ending in /v1).')
  endpoint: string

  @description('Deployment name (Azure OpenAI) or model id (OpenAI-compatible) at that endpoint.')
  deployment: string

  @description('USD per 1M input tokens, as a string (Bicep has no decimal type), e.g. \'2.50\'.')
  inputPricePerMillion: string

  @description('USD per 1M output tokens, as a string, e.g. \'10.00\'.')
  outputPricePerMillion: string
}

@description('The model pool, passed to the app as settings Models__<i>__Name / __Kind / __Endpoint / __Model (the deployment) / __InputPricePerMillion / __OutputPricePerMillion (configuration list "Models"). No API keys: Azure OpenAI is called as the app\'s identity. The defaults are placeholders: replace the endpoints with your own deployments.')
param models modelDeployment[] = [
  {
    name: 'gpt-4o'
    endpoint: 'https://YOUR-AOAI-RESOURCE.openai.azure.com/'
    deployment: 'gpt-4o'
    inputPricePerMillion: '2.50'
    outputPricePerMillion: '10.00'
  }
  {
    name: 'gpt-4o-mini'
    endpoint: 'https://YOUR-AOAI-RESOURCE.openai.azure.com/'
    deployment: 'gpt-4o-mini'
    inputPricePerMillion: '0.15'
    outputPricePerMillion: '0.60'
  }
]

@description('Resource ids of existing Azure OpenAI / AI Services accounts on which the app\'s identity gets "Cognitive Services OpenAI User" (keyless calls). Example: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>')
param openAiAccountResourceIds string[] = []

@description('Upper bound on Flex Consumption instances.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance (MB). The handler holds the ONNX encoder (~7 MB int8) and the profile in memory.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-router-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

// The router's tables, named in one place here; the same names as src/RouterFunctions.Storage/TableNames.cs (the app
// also creates a missing table itself). The processed-message ledger lives in the feedback table.
var tableNames = [
  'profiles'
  'decisions'
  'feedback'
  'stats'
  'parked'
  'seed'
  'retrains'
  'embeddings'
  'aggregation'
]

// From this delivery on, the handler parks a feedback message that still fails (in the parked table) and
// acknowledges it. The feedback queue allows more deliveries than that, so the handler parks before Service Bus
// dead-letters; the margin covers deliveries lost to a crashed or timed-out instance.
var parkAfterDeliveries = 5

// The Service Bus queues, with explicit lock durations and delivery counts (see core/servicebus.bicep). Their names
// are fixed in functions/*/function.json. feedback: one message per feedback record (Feedback -> IngestFeedback);
// retrain: retraining requests (IngestFeedback -> RetrainProfiles; long lock: a retrain takes about a minute);
// aggregate-calls: fan-out of per-call aggregation work (planned).
var queues = [
  { name: 'feedback', lockDuration: 'PT1M', maxDeliveryCount: parkAfterDeliveries + 5, defaultMessageTimeToLive: 'P14D' }
  { name: 'retrain', lockDuration: 'PT5M', maxDeliveryCount: 3, defaultMessageTimeToLive: 'P1D' }
  { name: 'aggregate-calls', lockDuration: 'PT1M', maxDeliveryCount: 5, defaultMessageTimeToLive: 'P7D' }
]

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-router-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'core/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    tableNames: tableNames
  }
}

module serviceBus 'core/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    name: 'sb-${resourceToken}'
    location: location
    tags: tags
    queues: queues
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    identityPrincipalId: identity.outputs.principalId
    developerPrincipalId: principalId
    developerPrincipalType: principalType
    grantDeveloperAccess: grantDeveloperAccess
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module openAiAccess 'app/openai-access.bicep' = [
  for (accountId, i) in openAiAccountResourceIds: {
    name: 'openai-access-${resourceToken}-${i}'
    scope: resourceGroup(split(accountId, '/')[2], split(accountId, '/')[4])
    params: {
      accountName: last(split(accountId, '/'))
      identityPrincipalId: identity.outputs.principalId
    }
  }
]

// Model pool → the configuration list "Models" (Models__<i>__<Field>): the deployment is the model id the app sends.
var modelSettings = reduce(
  range(0, length(models)),
  {},
  (settings, i) =>
    union(settings, {
      'Models__${i}__Name': models[i].name
      'Models__${i}__Kind': models[i].?kind ?? 'AzureOpenAI'
      'Models__${i}__Endpoint': models[i].endpoint
      'Models__${i}__Model': models[i].deployment
      'Models__${i}__InputPricePerMillion': models[i].inputPricePerMillion
      'Models__${i}__OutputPricePerMillion': models[i].outputPricePerMillion
    })
)

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    appSettings: union(modelSettings, {
      // State in Azure Table Storage, reached as the identity (DefaultAzureCredential + AZURE_CLIENT_ID).
      Storage__Mode: 'Azure'
      Storage__TableServiceUri: storage.outputs.tableEndpoint
      // The profile shipped in the package (scripts/package.sh): published to the profiles table when it has none.
      Router__ProfilePath: '.data/profile.json'
      Feedback__ParkAfterDeliveries: string(parkAfterDeliveries)
    })
  }
  // Start the app only once its identity can reach storage and Service Bus.
  dependsOn: [
    rbac
  ]
}

// Outputs azd stores in .azure/<env>/.env.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_ROUTER_NAME string = functionApp.outputs.name
output SERVICE_ROUTER_URI string = functionApp.outputs.uri
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_SERVICEBUS_QUEUES string[] = serviceBus.outputs.queueNames
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = monitoring.outputs.logAnalyticsWorkspaceName
