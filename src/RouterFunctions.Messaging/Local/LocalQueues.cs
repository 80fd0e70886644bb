namespace RouterFunctions.Messaging.Local;

/// <summary>The queues of local mode, by the names the deployed Service Bus queues have.</summary>
public sealed class LocalQueues
{
    public InProcessQueue Feedback { get; } = new(QueueNames.Feedback);

    public InProcessQueue Retrain { get; } = new(QueueNames.Retrain);

    public InProcessQueue Aggregate { get; } = new(QueueNames.AggregateCalls);

    public IReadOnlyList<InProcessQueue> All => [Feedback, Retrain, Aggregate];

    public InProcessQueue this[string name] =>
        All.FirstOrDefault(q => q.Name == name) ?? throw new ArgumentException($"No local queue '{name}' (queues: {string.Join(", ", QueueNames.All)}).", nameof(name));
}
