using Microsoft.Extensions.AI;
using RouterFunctions.Core.Embeddings;

namespace RouterFunctions.Core.Tests.Embeddings;

public class CachingEmbeddingGeneratorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string? TierOf(Embedding<float> embedding) =>
        embedding.AdditionalProperties?.TryGetValue(CachingEmbeddingGenerator.CacheProperty, out var tier) == true ? tier as string : null;

    [Fact]
    public async Task GenerateAsync_misses_first_then_hits_with_the_tier_name()
    {
        var inner = new FakeEmbeddingGenerator();
        using var generator = new CachingEmbeddingGenerator(inner, new FakeEmbeddingCache(), "memory");

        var first = await generator.GenerateAsync(["hello"], cancellationToken: Token);
        var second = await generator.GenerateAsync(["hello"], cancellationToken: Token);

        Assert.Equal(CachingEmbeddingGenerator.Miss, TierOf(first[0]));
        Assert.Equal("memory", TierOf(second[0]));
        Assert.Equal(FakeEmbeddingGenerator.VectorFor("hello"), second[0].Vector.ToArray());
        Assert.Equal(FakeEmbeddingGenerator.ModelId, second[0].ModelId);
        Assert.Single(inner.Batches);
    }

    [Fact]
    public async Task GenerateAsync_stores_misses_under_the_key_of_the_inner_model()
    {
        var cache = new FakeEmbeddingCache();
        using var generator = new CachingEmbeddingGenerator(new FakeEmbeddingGenerator("model-x"), cache, "t");

        await generator.GenerateAsync(["a", "b"], cancellationToken: Token);

        Assert.Equal([EmbeddingCacheKey.For("model-x", "a"), EmbeddingCacheKey.For("model-x", "b")], cache.Sets);
        Assert.Equal(FakeEmbeddingGenerator.VectorFor("b"), cache.Entries[EmbeddingCacheKey.For("model-x", "b")]);
    }

    [Fact]
    public async Task GenerateAsync_sends_only_the_misses_in_one_batch_and_keeps_the_input_order()
    {
        var inner = new FakeEmbeddingGenerator();
        var cache = new FakeEmbeddingCache();
        using var generator = new CachingEmbeddingGenerator(inner, cache, "memory");
        await generator.GenerateAsync(["bb", "dddd"], cancellationToken: Token);
        inner.Batches.Clear();

        string[] texts = ["a", "bb", "ccc", "dddd", "eeeee"];
        var result = await generator.GenerateAsync(texts, cancellationToken: Token);

        Assert.Equal([["a", "ccc", "eeeee"]], inner.Batches);
        Assert.Equal(texts.Length, result.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(FakeEmbeddingGenerator.VectorFor(texts[i]), result[i].Vector.ToArray());
        }

        Assert.Equal(["miss", "memory", "miss", "memory", "miss"], result.Select(TierOf));
    }

    [Fact]
    public async Task GenerateAsync_does_not_call_the_inner_generator_when_everything_hits()
    {
        var inner = new FakeEmbeddingGenerator();
        using var generator = new CachingEmbeddingGenerator(inner, new FakeEmbeddingCache(), "memory");
        await generator.GenerateAsync(["x", "y"], cancellationToken: Token);

        var result = await generator.GenerateAsync(["y", "x"], cancellationToken: Token);

        Assert.Single(inner.Batches);
        Assert.Equal(["memory", "memory"], result.Select(TierOf));
        Assert.Equal(FakeEmbeddingGenerator.VectorFor("y"), result[0].Vector.ToArray());
    }

    [Fact]
    public async Task GenerateAsync_hits_for_a_text_with_the_same_NFKC_form()
    {
        var inner = new FakeEmbeddingGenerator();
        using var generator = new CachingEmbeddingGenerator(inner, new FakeEmbeddingCache(), "memory");

        await generator.GenerateAsync(["\uFB01ne"], cancellationToken: Token);
        var result = await generator.GenerateAsync(["fine"], cancellationToken: Token);

        Assert.Equal("memory", TierOf(result[0]));
        Assert.Single(inner.Batches);
    }

    [Fact]
    public async Task Stacked_tiers_report_the_tier_that_answered()
    {
        var inner = new FakeEmbeddingGenerator();
        var table = new FakeEmbeddingCache();
        var memory = new LruEmbeddingCache(10);
        using var tableTier = new CachingEmbeddingGenerator(inner, table, "table");
        using var memoryTier = new CachingEmbeddingGenerator(tableTier, memory, "memory");

        var cold = await memoryTier.GenerateAsync(["q"], cancellationToken: Token);
        var warm = await memoryTier.GenerateAsync(["q"], cancellationToken: Token);

        // A fresh memory tier over the same table: the table answers.
        using var restarted = new CachingEmbeddingGenerator(tableTier, new LruEmbeddingCache(10), "memory");
        var fromTable = await restarted.GenerateAsync(["q"], cancellationToken: Token);

        Assert.Equal("miss", TierOf(cold[0]));
        Assert.Equal("memory", TierOf(warm[0]));
        Assert.Equal("table", TierOf(fromTable[0]));
        Assert.Single(inner.Batches);
        Assert.Single(table.Sets);
    }
}
