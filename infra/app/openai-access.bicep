// Grants "Cognitive Services OpenAI User" on one existing Azure OpenAI (or AI Services) account to every identity
// listed (the HTTP app's, for chat completions and failover; the consumers', for the aggregation steps), so the apps
// call its deployments with an Entra token instead of an API key. Deployed into the account's own resource group,
// which may be in another subscription.

@description('Name of the existing Azure OpenAI / AI Services account (in this module\'s resource group).')
param accountName string

@description('Principal (object) ids of the apps\' user-assigned identities.')
param identityPrincipalIds string[]

var cognitiveServicesOpenAiUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: accountName
}

resource openAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in identityPrincipalIds: {
    name: guid(account.id, principalId, cognitiveServicesOpenAiUser)
    scope: account
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAiUser)
    }
  }
]

output endpoint string = account.properties.endpoint
