using RouterFunctions.Core.Data;

namespace RouterFunctions.Core.Training;

/// <summary>An embedded query with graded outcomes per model name.</summary>
public sealed record TrainingExample(float[] Embedding, IReadOnlyDictionary<string, ModelOutcome> Outcomes, string? Task = null);
