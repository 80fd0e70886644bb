namespace RouterFunctions.Messaging.Local;

/// <summary>The queues of local mode, by the names the deployed Service Bus queues have, kept by one journal.</summary>
public sealed class LocalQueues(IQueueJournal journal)
{
    public InProcessQueue Feedback { get; } = new(QueueNames.Feedback, journal);

    public InProcessQueue Retrain { get; } = new(QueueNames.Retrain, journal);

    public InProcessQueue Aggregate { get; } = new(QueueNames.AggregateCalls, journal);

    public IReadOnlyList<InProcessQueue> All => [Feedback, Retrain, Aggregate];

    public InProcessQueue this[string name] =>
        All.FirstOrDefault(q => q.Name == name) ?? throw new ArgumentException($"No local queue '{name}' (queues: {string.Join(", ", QueueNames.All)}).", nameof(name));
}
