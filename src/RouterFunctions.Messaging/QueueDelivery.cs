namespace RouterFunctions.Messaging;

/// <summary>One message as a consumer receives it: the decoded body, its id and how often it was delivered.</summary>
public sealed record QueueDelivery(string Body, string MessageId, int DeliveryCount);
