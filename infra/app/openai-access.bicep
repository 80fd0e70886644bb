// Grants the app's identity "Cognitive Services OpenAI User" on one existing Azure OpenAI (or AI Services) account,
// so the handler can call its deployments with an Entra token instead of an API key. Deployed into the account's
// own resource group, which may be in another subscription.

@description('Name of the existing Azure OpenAI / AI Services account (in this module\'s resource group).')
param accountName string

@description('Principal (object) id of the app\'s user-assigned identity.')
param identityPrincipalId string

var cognitiveServicesOpenAiUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: accountName
}

resource openAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityPrincipalId, cognitiveServicesOpenAiUser)
  scope: account
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAiUser)
  }
}

output endpoint string = account.properties.endpoint
