namespace RouterFunctions.Handler.Functions;

/// <summary>One Service Bus message as a trigger delivers it: the decoded body, its id and how often it was delivered.</summary>
public sealed record QueueDelivery(string Body, string MessageId, int DeliveryCount);
