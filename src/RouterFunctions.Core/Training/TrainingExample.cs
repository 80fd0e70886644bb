using RouterFunctions.Core.Data;

namespace RouterFunctions.Core.Training;

/// <summary>An embedded query with graded outcomes per model name.</summary>
/// <param name="Weight">
/// How many queries this one stands for in the statistics: 1 for offline data; for feedback, the inverse of the
/// probability that the router chose the graded model (clipped), so models it rarely picks are not judged only by
/// the few queries it happened to send them.
/// </param>
public sealed record TrainingExample(float[] Embedding, IReadOnlyDictionary<string, ModelOutcome> Outcomes, string? Task = null, double Weight = 1);
