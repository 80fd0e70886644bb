namespace RouterFunctions.Handler.Functions;

/// <summary>Function, binding and queue names as functions/*/function.json declare them.</summary>
internal static class FunctionNames
{
    public const string Feedback = "Feedback";
    public const string IngestFeedback = "IngestFeedback";
    public const string RetrainProfiles = "RetrainProfiles";
    public const string RetrainTimer = "RetrainTimer";
    public const string Aggregate = "Aggregate";
    public const string AggregateStep = "AggregateStep";

    public const string HttpTrigger = "req";
    public const string HttpOutput = "res";
    public const string QueueTrigger = "msg";
    public const string FeedbackOutput = "feedbackOut";
    public const string CallsOutput = "callsOut";

    public const string FeedbackQueue = "feedback";
    public const string RetrainQueue = "retrain";
    public const string AggregateQueue = "aggregate-calls";

    /// <summary>Which queue each output binding sends to.</summary>
    public static IReadOnlyDictionary<string, string> OutputQueues { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [FeedbackOutput] = FeedbackQueue,
        [FeedbackIngestion.RetrainOutput] = RetrainQueue,
        [CallsOutput] = AggregateQueue,
    };
}
