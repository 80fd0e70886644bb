namespace RouterFunctions.Messaging;

/// <summary>The queues the router uses, as functions/*/function.json and infra/core/servicebus.bicep name them.</summary>
public static class QueueNames
{
    /// <summary>Feedback events, ingested by IngestFeedback.</summary>
    public const string Feedback = "feedback";

    /// <summary>Requests to retrain the routing profiles, handled by RetrainProfiles.</summary>
    public const string Retrain = "retrain";

    /// <summary>The model calls of an aggregate request, one step each, handled by AggregateStep.</summary>
    public const string AggregateCalls = "aggregate-calls";

    /// <summary>Every queue, e.g. for a health check or for creating them in a test namespace.</summary>
    public static IReadOnlyList<string> All { get; } = [Feedback, Retrain, AggregateCalls];
}
