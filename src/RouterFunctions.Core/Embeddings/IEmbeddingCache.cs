namespace RouterFunctions.Core.Embeddings;

/// <summary>
/// One tier of the embedding cache: the in-process LRU here, Table Storage in the serverless deployment.
/// Keys come from <see cref="EmbeddingCacheKey"/>; values are the model's vectors, never mutated after set.
/// </summary>
public interface IEmbeddingCache
{
    ValueTask<float[]?> GetAsync(string key, CancellationToken cancellationToken);

    ValueTask SetAsync(string key, float[] vector, CancellationToken cancellationToken);
}
