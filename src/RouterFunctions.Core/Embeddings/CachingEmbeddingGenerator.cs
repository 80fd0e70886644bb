using Microsoft.Extensions.AI;

namespace RouterFunctions.Core.Embeddings;

/// <summary>
/// Serves embeddings from an <see cref="IEmbeddingCache"/> tier and sends only the misses, in one batch, to the
/// inner generator. Each result says where it came from in <c>AdditionalProperties["cache"]</c>: this tier's
/// name on a hit, else whatever the inner generator said ("miss" at the bottom).
/// </summary>
public sealed class CachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    public const string CacheProperty = "cache";
    public const string Miss = "miss";
    private readonly IEmbeddingCache _cache;
    private readonly string _tier;
    private readonly string _modelId;

    public CachingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, IEmbeddingCache cache, string tier)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
        _tier = tier;
        _modelId = inner.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "";
    }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? [.. values];
        var results = new Embedding<float>?[texts.Count];
        var keys = new string[texts.Count];
        var misses = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            keys[i] = EmbeddingCacheKey.For(_modelId, texts[i]);
            var vector = await _cache.GetAsync(keys[i], cancellationToken);
            if (vector is null)
            {
                misses.Add(i);
            }
            else
            {
                results[i] = Tag(new Embedding<float>(vector) { ModelId = _modelId }, _tier);
            }
        }

        if (misses.Count > 0)
        {
            var generated = await base.GenerateAsync([.. misses.Select(i => texts[i])], options, cancellationToken);
            for (var j = 0; j < misses.Count; j++)
            {
                var embedding = generated[j];
                await _cache.SetAsync(keys[misses[j]], embedding.Vector.ToArray(), cancellationToken);
                embedding.AdditionalProperties ??= [];
                embedding.AdditionalProperties.TryAdd(CacheProperty, Miss);
                results[misses[j]] = embedding;
            }
        }

        return [.. results.Select(r => r!)];
    }

    private static Embedding<float> Tag(Embedding<float> embedding, string tier)
    {
        embedding.AdditionalProperties = new AdditionalPropertiesDictionary { [CacheProperty] = tier };
        return embedding;
    }
}
