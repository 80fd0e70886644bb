namespace RouterFunctions.Workers.Functions;

/// <summary>Function and binding names as functions/*/function.json declare them.</summary>
internal static class FunctionNames
{
    public const string IngestFeedback = "IngestFeedback";
    public const string RetrainProfiles = "RetrainProfiles";
    public const string AggregateStep = "AggregateStep";

    /// <summary>The trigger binding's name in every consumer's function.json.</summary>
    public const string QueueTrigger = "msg";

    public static IReadOnlyList<string> All { get; } = [IngestFeedback, RetrainProfiles, AggregateStep];
}
