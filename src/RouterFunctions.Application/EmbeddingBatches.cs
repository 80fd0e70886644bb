using Microsoft.Extensions.AI;

namespace RouterFunctions.Application;

public static class EmbeddingBatches
{
    /// <summary>Embeds many texts in batches, reporting how many are done after each batch.</summary>
    public static async Task<float[][]> EmbedAllAsync(
        this IEmbeddingGenerator<string, Embedding<float>> generator,
        IReadOnlyList<string> texts,
        IProgress<int>? progress = null,
        int batchSize = 16,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var result = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += batchSize)
        {
            var batch = texts.Skip(start).Take(batchSize).ToList();
            var embeddings = await generator.GenerateAsync(batch, cancellationToken: cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                result[start + i] = embeddings[i].Vector.ToArray();
            }

            progress?.Report(start + batch.Count);
        }

        return result;
    }
}
