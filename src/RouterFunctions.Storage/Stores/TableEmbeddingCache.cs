using RouterFunctions.Core.Embeddings;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// The shared embedding tier behind each instance's LRU: vectors by cache key, spread over 64 partitions. Best effort:
/// when the table cannot be reached a read is a miss and a write is skipped, so routing never fails on the cache.
/// </summary>
public sealed class TableEmbeddingCache(IEntityTable table) : IEmbeddingCache
{
    public async ValueTask<float[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await table.GetAsync(Keys.Spread(key), key, cancellationToken) is { } row ? Keys.ToFloats(row.GetBytes("Vector")) : null;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async ValueTask SetAsync(string key, float[] vector, CancellationToken cancellationToken)
    {
        try
        {
            await table.WriteAsync(new TableAction(TableWrite.Upsert, new TableRow(Keys.Spread(key), key) { ["Vector"] = Keys.ToBytes(vector) }), cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // the next request embeds this text again, or finds it in this instance's LRU
        }
    }
}
