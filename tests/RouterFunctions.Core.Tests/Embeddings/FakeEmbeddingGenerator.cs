using Microsoft.Extensions.AI;

namespace RouterFunctions.Core.Tests.Embeddings;

/// <summary>A deterministic embedder that records every batch it is asked for.</summary>
internal sealed class FakeEmbeddingGenerator(string modelId = FakeEmbeddingGenerator.ModelId) : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "fake-embedder";

    public List<IReadOnlyList<string>> Batches { get; } = [];

    /// <summary>The vector this fake gives a text: its length and its first character's code.</summary>
    public static float[] VectorFor(string text) => [text.Length, text.Length > 0 ? text[0] : 0];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var batch = values.ToList();
        Batches.Add(batch);
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(batch.Select(t => new Embedding<float>(VectorFor(t)) { ModelId = modelId })));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("fake", null, modelId, 2)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
