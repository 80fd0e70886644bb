namespace RouterFunctions.Storage;

/// <summary>The tables, named once (infra/ creates the same names).</summary>
public static class TableNames
{
    public const string Profiles = "profiles";
    public const string Decisions = "decisions";
    public const string Feedback = "feedback";
    public const string Stats = "stats";
    public const string Parked = "parked";
    public const string Seed = "seed";
    public const string Retrains = "retrains";
    public const string Embeddings = "embeddings";
    public const string Aggregation = "aggregation";
    public const string FeedbackKeys = "feedbackkeys";

    public static IReadOnlyList<string> All { get; } = [Profiles, Decisions, Feedback, Stats, Parked, Seed, Retrains, Embeddings, Aggregation, FeedbackKeys];
}
