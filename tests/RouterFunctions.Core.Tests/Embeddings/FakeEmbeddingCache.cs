using RouterFunctions.Core.Embeddings;

namespace RouterFunctions.Core.Tests.Embeddings;

/// <summary>An unbounded cache tier that records the keys it is asked for and given.</summary>
internal sealed class FakeEmbeddingCache : IEmbeddingCache
{
    public Dictionary<string, float[]> Entries { get; } = new(StringComparer.Ordinal);

    public List<string> Gets { get; } = [];

    public List<string> Sets { get; } = [];

    public ValueTask<float[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        Gets.Add(key);
        return ValueTask.FromResult(Entries.GetValueOrDefault(key));
    }

    public ValueTask SetAsync(string key, float[] vector, CancellationToken cancellationToken)
    {
        Sets.Add(key);
        Entries[key] = vector;
        return ValueTask.CompletedTask;
    }
}
