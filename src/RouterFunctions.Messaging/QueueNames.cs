namespace RouterFunctions.Messaging;

/// <summary>The queues, as infra/ creates them and the consumers' function.json files bind them.</summary>
public static class QueueNames
{
    public const string Feedback = "feedback";
    public const string Retrain = "retrain";
    public const string AggregateCalls = "aggregate-calls";

    public static IReadOnlyList<string> All { get; } = [Feedback, Retrain, AggregateCalls];
}
