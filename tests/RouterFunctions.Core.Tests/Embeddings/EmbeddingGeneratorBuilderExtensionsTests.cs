using Microsoft.Extensions.AI;
using RouterFunctions.Core.Embeddings;

namespace RouterFunctions.Core.Tests.Embeddings;

public class EmbeddingGeneratorBuilderExtensionsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string? TierOf(Embedding<float> embedding) =>
        embedding.AdditionalProperties?.TryGetValue(CachingEmbeddingGenerator.CacheProperty, out var tier) == true ? tier as string : null;

    [Fact]
    public async Task UseLruCache_adds_a_tier_named_memory()
    {
        var inner = new FakeEmbeddingGenerator();
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner).UseLruCache(new LruEmbeddingCache(4)).Build();

        await generator.GenerateAsync(["q"], cancellationToken: Token);
        var result = await generator.GenerateAsync(["q"], cancellationToken: Token);

        Assert.Equal("memory", TierOf(result[0]));
        Assert.Single(inner.Batches);
    }

    [Fact]
    public async Task Stacked_tiers_consult_the_memory_tier_before_the_slower_one()
    {
        var inner = new FakeEmbeddingGenerator();
        var table = new FakeEmbeddingCache();
        var memory = new LruEmbeddingCache(4);
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner)
            .UseLruCache(memory)
            .UseEmbeddingCache(table, "table")
            .Build();

        await generator.GenerateAsync(["q"], cancellationToken: Token);
        table.Gets.Clear();
        var result = await generator.GenerateAsync(["q"], cancellationToken: Token);

        Assert.Equal("memory", TierOf(result[0]));
        Assert.Empty(table.Gets);
        Assert.Equal(1, memory.Count);
        Assert.Single(table.Sets);
    }

    [Fact]
    public async Task The_tier_added_first_is_consulted_first()
    {
        var table = new FakeEmbeddingCache();
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(new FakeEmbeddingGenerator())
            .UseEmbeddingCache(table, "table")
            .UseLruCache(new LruEmbeddingCache(4))
            .Build();

        await generator.GenerateAsync(["q"], cancellationToken: Token);
        var result = await generator.GenerateAsync(["q"], cancellationToken: Token);

        Assert.Equal("table", TierOf(result[0]));
    }
}
