// Service Bus Standard namespace with local (SAS key) auth disabled, and the router's queues. Each queue states its
// lock duration and max delivery count explicitly: the custom handler cannot settle messages itself (a failed
// invocation abandons the message, which comes back with DeliveryCount + 1 until Service Bus dead-letters it at the
// maximum). Duplicate detection is on: the senders (Azure.Messaging.ServiceBus) set MessageId to the message's
// idempotency key, and Service Bus drops a repeat within the queue's window. requiresDuplicateDetection can only be
// set when a queue is created: on an existing namespace whose queues have it off, delete the queues (or the
// namespace) before provisioning this version.

@description('Service Bus namespace name (globally unique).')
@minLength(6)
@maxLength(50)
param name string

@description('Azure region.')
param location string

param tags object = {}

@description('Queue settings type.')
type queue = {
  @description('Queue name.')
  name: string

  @description('ISO 8601 duration a receiver holds the lock (at most PT5M).')
  lockDuration: string

  @description('Deliveries before Service Bus dead-letters the message.')
  @minValue(1)
  maxDeliveryCount: int

  @description('ISO 8601 time to live of a message.')
  defaultMessageTimeToLive: string

  @description('ISO 8601 window in which a message with an already seen MessageId is dropped (20 s to 7 days).')
  duplicateDetectionHistoryTimeWindow: string
}

@description('The queues to create.')
param queues queue[]

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource serviceBusQueues 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for q in queues: {
    parent: namespace
    name: q.name
    properties: {
      lockDuration: q.lockDuration
      maxDeliveryCount: q.maxDeliveryCount
      defaultMessageTimeToLive: q.defaultMessageTimeToLive
      deadLetteringOnMessageExpiration: true
      requiresSession: false
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: q.duplicateDetectionHistoryTimeWindow
      enablePartitioning: false
    }
  }
]

output name string = namespace.name
output id string = namespace.id
// <name>.servicebus.windows.net, taken from the endpoint so that sovereign clouds work too.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
output queueNames string[] = [for (q, i) in queues: serviceBusQueues[i].name]
