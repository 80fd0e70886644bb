using Microsoft.Extensions.AI;

namespace RouterFunctions.Application.Tests;

/// <summary>A deterministic embedder that gives each text the vector <c>vectorFor</c> says and records every batch it gets.</summary>
internal sealed class RecordingEmbeddingGenerator(Func<string, float[]> vectorFor, string modelId = RecordingEmbeddingGenerator.DefaultModelId)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string DefaultModelId = "recording-embedder";

    public List<IReadOnlyList<string>> Batches { get; } = [];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = values.ToList();
        Batches.Add(batch);
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(batch.Select(t => new Embedding<float>(vectorFor(t)) { ModelId = modelId })));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("recording", null, modelId)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
