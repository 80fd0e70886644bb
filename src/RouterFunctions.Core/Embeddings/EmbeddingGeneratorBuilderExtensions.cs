using Microsoft.Extensions.AI;

namespace RouterFunctions.Core.Embeddings;

public static class EmbeddingGeneratorBuilderExtensions
{
    /// <summary>Adds a cache tier. Call it once per tier, outermost (fastest) first: the builder's first Use wraps the rest.</summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseEmbeddingCache(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, IEmbeddingCache cache, string tier)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new CachingEmbeddingGenerator(inner, cache, tier));
    }

    /// <summary>Adds the bounded in-process LRU tier ("memory").</summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseLruCache(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, LruEmbeddingCache cache) =>
        builder.UseEmbeddingCache(cache, "memory");
}
