using RouterFunctions.Core.Embeddings;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>The shared embedding tier behind each instance's LRU: vectors by cache key, spread over 64 partitions.</summary>
public sealed class TableEmbeddingCache(IEntityTable table) : IEmbeddingCache
{
    public async ValueTask<float[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        await table.GetAsync(Keys.Spread(key), key, cancellationToken) is { } row ? Keys.ToFloats(row.GetBytes("Vector")) : null;

    public async ValueTask SetAsync(string key, float[] vector, CancellationToken cancellationToken) =>
        await table.WriteAsync(new TableAction(TableWrite.Upsert, new TableRow(Keys.Spread(key), key) { ["Vector"] = Keys.ToBytes(vector) }), cancellationToken);
}
