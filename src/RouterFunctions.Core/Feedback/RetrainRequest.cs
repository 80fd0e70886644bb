namespace RouterFunctions.Core.Feedback;

/// <summary>The body of a message on the retrain queue.</summary>
public sealed record RetrainRequest(string Reason, int ProfileVersion);
