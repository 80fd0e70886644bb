using RouterFunctions.Handler.Functions;

namespace RouterFunctions.Handler.Local;

/// <summary>The queues of local mode and the function each one triggers (as functions/*/function.json bind them).</summary>
public sealed class LocalQueues
{
    public InProcessQueue Feedback { get; } = new(FunctionNames.FeedbackQueue);

    public InProcessQueue Retrain { get; } = new(FunctionNames.RetrainQueue);

    public InProcessQueue Aggregate { get; } = new(FunctionNames.AggregateQueue);

    public IReadOnlyList<(InProcessQueue Queue, string Function)> Triggers =>
        [(Feedback, FunctionNames.IngestFeedback), (Retrain, FunctionNames.RetrainProfiles), (Aggregate, FunctionNames.AggregateStep)];

    public InProcessQueue? ForOutput(string binding) =>
        FunctionNames.OutputQueues.TryGetValue(binding, out var queue) ? Triggers.Select(t => t.Queue).FirstOrDefault(q => q.Name == queue) : null;
}
