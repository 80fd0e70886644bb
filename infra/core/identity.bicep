// The user-assigned managed identity the function app runs as. Every data-plane permission (storage, Service Bus,
// Application Insights, Azure OpenAI) is granted to this identity and to nothing else.

@description('Name of the user-assigned identity.')
param name string

@description('Azure region.')
param location string

param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
