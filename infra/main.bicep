// RouterFunctions on Azure: everything `azd up` provisions. Subscription scope: creates the resource group, then
// monitoring, storage, Service Bus, and TWO function apps, each on its own Flex Consumption plan (one app per plan)
// with its own user-assigned identity and role assignments:
//   api      (azd service `api`):     the HTTP app, isolated worker (dotnet-isolated 10.0): Route, Feedback,
//                                     RetrainNow, Profiles, Health, Retrains, ChatCompletions, Models, Aggregate,
//                                     AggregateStatus, RetrainTimer. Sends to Service Bus with the SDK.
//   workers  (azd service `workers`): the Service Bus consumers (IngestFeedback, RetrainProfiles, AggregateStep) as a
//                                     custom handler (custom 1.0), triggers from the extension bundle.
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

@description('Also give principalId the union of the apps\' data roles (storage blobs/tables, Service Bus send + receive, metrics), e.g. to run the apps locally against these resources. Off by default: only the apps\' identities get roles.')
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

@description('The model pool, passed to the app as settings Models__<i>__Name / __Kind / __Endpoint / __Model (the deployment) / __InputPricePerMillion / __OutputPricePerMillion (configuration list "Models"). Both apps get the pool (the HTTP app for chat completions and failover, the consumers for the aggregation steps). No API keys: Azure OpenAI is called as each app\'s identity. The defaults are placeholders: replace the endpoints with your own deployments.')
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

@description('Resource ids of existing Azure OpenAI / AI Services accounts on which both apps\' identities get "Cognitive Services OpenAI User" (keyless calls). Example: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>')
param openAiAccountResourceIds string[] = []

@description('Upper bound on Flex Consumption instances of the HTTP app (api).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance (MB) of the HTTP app. It holds the ONNX encoder (~7 MB int8) and the profile in memory.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on Flex Consumption instances of the consumers (workers). Lower than the HTTP app\'s: ingestion updates shared statistics under ETag-guarded transactions, and a retrain needs one instance.')
@minValue(1)
@maxValue(1000)
param workersMaximumInstanceCount int = 10

@description('Memory per instance (MB) of the consumers. A retrain embeds the seed and feedback queries and trains in memory.')
@allowed([512, 2048, 4096])
param workersInstanceMemoryMB int = 2048

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

// The two apps. Both use the same storage account for host storage: the Functions host id is the site name cut to
// 32 characters, and these names differ well within that ('func-api-' / 'func-workers-' + 13-character token).
var apiAppName = 'func-api-${resourceToken}'
var workersAppName = 'func-workers-${resourceToken}'
var deploymentContainerNames = {
  api: 'app-package-${take(apiAppName, 32)}-${take(resourceToken, 7)}'
  workers: 'app-package-${take(workersAppName, 32)}-${take(resourceToken, 7)}'
}

// The router's tables, named in one place here; the same names as src/RouterFunctions.Storage/TableNames.cs (the apps
// also create a missing table themselves). The processed-message ledger lives in the feedback table. Both apps use them.
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
  'feedbackkeys'
]

// From this delivery on, the consumer parks a feedback message that still fails (in the parked table) and
// acknowledges it. The feedback queue allows more deliveries than that, so it parks before Service Bus
// dead-letters; the margin covers deliveries lost to a crashed or timed-out instance.
var parkAfterDeliveries = 5

// Window in which Service Bus drops a message whose MessageId it has already seen (the senders set MessageId to the
// message's idempotency key: the feedback id, the retrain request id, the aggregation call id).
var duplicateDetectionWindow = 'PT1H'

// The Service Bus queues, with explicit lock durations and delivery counts (see core/servicebus.bicep). Their names
// are fixed in src/RouterFunctions.Workers/functions/*/function.json (triggers) and in the senders' code.
//   feedback:        one message per feedback record (api Feedback -> workers IngestFeedback)
//   retrain:         retraining requests (api RetrainNow / RetrainTimer, workers IngestFeedback -> workers
//                    RetrainProfiles; long lock: a retrain takes about a minute)
//   aggregate-calls: fan-out of per-call aggregation work (api Aggregate, workers AggregateStep -> AggregateStep)
var queues = [
  {
    name: 'feedback'
    lockDuration: 'PT1M'
    maxDeliveryCount: parkAfterDeliveries + 5
    defaultMessageTimeToLive: 'P14D'
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
  }
  {
    name: 'retrain'
    lockDuration: 'PT5M'
    maxDeliveryCount: 3
    defaultMessageTimeToLive: 'P1D'
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
  }
  {
    name: 'aggregate-calls'
    lockDuration: 'PT1M'
    maxDeliveryCount: 5
    defaultMessageTimeToLive: 'P7D'
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
  }
]

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module apiIdentity 'core/identity.bicep' = {
  name: 'identity-api'
  scope: rg
  params: {
    name: 'id-api-${resourceToken}'
    location: location
    tags: tags
  }
}

module workersIdentity 'core/identity.bicep' = {
  name: 'identity-workers'
  scope: rg
  params: {
    name: 'id-workers-${resourceToken}'
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
    deploymentContainerNames: [deploymentContainerNames.api, deploymentContainerNames.workers]
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

// The HTTP app sends (Feedback, RetrainNow, RetrainTimer, Aggregate) and receives nothing.
module apiRbac 'app/rbac.bicep' = {
  name: 'rbac-api'
  scope: rg
  params: {
    principalId: apiIdentity.outputs.principalId
    serviceBusSend: true
    serviceBusReceive: false
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

// The consumers receive (triggers) and send follow-ups (IngestFeedback -> retrain, AggregateStep -> aggregate-calls).
module workersRbac 'app/rbac.bicep' = {
  name: 'rbac-workers'
  scope: rg
  params: {
    principalId: workersIdentity.outputs.principalId
    serviceBusSend: true
    serviceBusReceive: true
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

// Optional: the developer gets the union of both apps' roles.
module developerRbac 'app/rbac.bicep' = if (grantDeveloperAccess && !empty(principalId)) {
  name: 'rbac-developer'
  scope: rg
  params: {
    principalId: principalId
    principalType: principalType
    serviceBusSend: true
    serviceBusReceive: true
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

// Both apps call models (chat completions and failover in api, aggregation steps in workers).
module openAiAccess 'app/openai-access.bicep' = [
  for (accountId, i) in openAiAccountResourceIds: {
    name: 'openai-access-${resourceToken}-${i}'
    scope: resourceGroup(split(accountId, '/')[2], split(accountId, '/')[4])
    params: {
      accountName: last(split(accountId, '/'))
      identityPrincipalIds: [apiIdentity.outputs.principalId, workersIdentity.outputs.principalId]
    }
  }
]

// Model pool -> the configuration list "Models" (Models__<i>__<Field>): the deployment is the model id the app sends.
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

// Settings both apps read. (app/function-app.bicep adds, per app and for its own identity: the identity-based host
// storage, AZURE_CLIENT_ID and the Application Insights settings.)
var routerSettings = union(modelSettings, {
  // State in Azure Table Storage, reached as the app's identity (DefaultAzureCredential + AZURE_CLIENT_ID).
  Storage__Mode: 'Azure'
  Storage__TableServiceUri: storage.outputs.tableEndpoint
  // The profile shipped in each package (scripts/package.sh): published to the profiles table when it has none.
  Router__ProfilePath: '.data/profile.json'
  Feedback__ParkAfterDeliveries: string(parkAfterDeliveries)
  // The namespace the Azure.Messaging.ServiceBus senders connect to (ServiceBusClient(fqns, credential)).
  ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
})

module apiApp 'app/function-app.bicep' = {
  name: 'function-app-api'
  scope: rg
  params: {
    name: apiAppName
    planName: 'plan-api-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    runtimeName: 'dotnet-isolated'
    runtimeVersion: '10.0'
    identityId: apiIdentity.outputs.id
    identityClientId: apiIdentity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerNames.api
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    appSettings: routerSettings
  }
  // Start the app only once its identity can reach storage and send to Service Bus.
  dependsOn: [
    apiRbac
  ]
}

module workersApp 'app/function-app.bicep' = {
  name: 'function-app-workers'
  scope: rg
  params: {
    name: workersAppName
    planName: 'plan-workers-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'workers'
    runtimeName: 'custom'
    runtimeVersion: '1.0'
    identityId: workersIdentity.outputs.id
    identityClientId: workersIdentity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerNames.workers
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    instanceMemoryMB: workersInstanceMemoryMB
    maximumInstanceCount: workersMaximumInstanceCount
    appSettings: union(routerSettings, {
      // The `connection` named in functions/*/function.json: the bundle's serviceBusTrigger, as the identity.
      ServiceBusConnection__credential: 'managedidentity'
      ServiceBusConnection__clientId: workersIdentity.outputs.clientId
    })
  }
  // Start the app only once its identity can reach storage and receive from Service Bus.
  dependsOn: [
    workersRbac
  ]
}

// Outputs azd stores in .azure/<env>/.env.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = apiApp.outputs.name
output AZURE_WORKERS_FUNCTION_APP_NAME string = workersApp.outputs.name
output SERVICE_API_NAME string = apiApp.outputs.name
output SERVICE_API_URI string = apiApp.outputs.uri
output SERVICE_WORKERS_NAME string = workersApp.outputs.name
output SERVICE_WORKERS_URI string = workersApp.outputs.uri
output AZURE_API_IDENTITY_CLIENT_ID string = apiIdentity.outputs.clientId
output AZURE_WORKERS_IDENTITY_CLIENT_ID string = workersIdentity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_SERVICEBUS_QUEUES string[] = serviceBus.outputs.queueNames
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = monitoring.outputs.logAnalyticsWorkspaceName
