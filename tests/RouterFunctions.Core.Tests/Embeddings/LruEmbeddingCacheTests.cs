using System.Globalization;
using RouterFunctions.Core.Embeddings;

namespace RouterFunctions.Core.Tests.Embeddings;

public class LruEmbeddingCacheTests
{
    [Fact]
    public void Get_returns_what_was_set()
    {
        var cache = new LruEmbeddingCache(2);
        float[] vector = [1f, 2f];

        cache.Set("a", vector);

        Assert.Same(vector, cache.Get("a"));
        Assert.Null(cache.Get("b"));
    }

    [Fact]
    public void Set_beyond_capacity_evicts_the_least_recently_used()
    {
        var cache = new LruEmbeddingCache(2);

        cache.Set("a", [1f]);
        cache.Set("b", [2f]);
        cache.Set("c", [3f]);

        Assert.Null(cache.Get("a"));
        Assert.NotNull(cache.Get("b"));
        Assert.NotNull(cache.Get("c"));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Get_refreshes_recency()
    {
        var cache = new LruEmbeddingCache(2);
        cache.Set("a", [1f]);
        cache.Set("b", [2f]);

        cache.Get("a");
        cache.Set("c", [3f]);

        Assert.NotNull(cache.Get("a"));
        Assert.Null(cache.Get("b"));
    }

    [Fact]
    public void Set_of_an_existing_key_replaces_it_without_evicting_and_refreshes_recency()
    {
        var cache = new LruEmbeddingCache(2);
        cache.Set("a", [1f]);
        cache.Set("b", [2f]);

        cache.Set("a", [9f]);
        Assert.Equal(2, cache.Count);
        cache.Set("c", [3f]);

        Assert.Equal([9f], Assert.IsType<float[]>(cache.Get("a")));
        Assert.Null(cache.Get("b"));
    }

    [Fact]
    public void Count_never_exceeds_capacity()
    {
        var cache = new LruEmbeddingCache(5);

        for (var i = 0; i < 100; i++)
        {
            cache.Set(i.ToString(CultureInfo.InvariantCulture), [i]);
            Assert.Equal(Math.Min(i + 1, 5), cache.Count);
        }

        // The five most recent remain.
        Assert.All(Enumerable.Range(95, 5), i => Assert.NotNull(cache.Get(i.ToString(CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Operations_match_a_reference_lru_on_a_random_sequence()
    {
        var random = new Random(13);
        var cache = new LruEmbeddingCache(4);
        var reference = new List<string>(); // most recent first

        for (var step = 0; step < 2000; step++)
        {
            var key = random.Next(8).ToString(CultureInfo.InvariantCulture);
            if (random.Next(2) == 0)
            {
                var expected = reference.Contains(key);
                Assert.Equal(expected, cache.Get(key) is not null);
                if (expected)
                {
                    reference.Remove(key);
                    reference.Insert(0, key);
                }
            }
            else
            {
                cache.Set(key, [step]);
                reference.Remove(key);
                reference.Insert(0, key);
                if (reference.Count > 4)
                {
                    reference.RemoveAt(4);
                }
            }

            Assert.Equal(reference.Count, cache.Count);
        }
    }

    [Fact]
    public async Task The_async_port_reads_and_writes_the_same_entries()
    {
        var cache = new LruEmbeddingCache(2);
        var token = TestContext.Current.CancellationToken;

        await cache.SetAsync("a", [1f], token);

        var read = await cache.GetAsync("a", token);
        Assert.Equal(new float[] { 1f }, Assert.IsType<float[]>(read));
        Assert.Same(read, cache.Get("a"));
        Assert.Null(await cache.GetAsync("b", token));
    }

    [Fact]
    public void Concurrent_use_keeps_the_capacity_bound()
    {
        var cache = new LruEmbeddingCache(10);

        Parallel.For(0, 10_000, i =>
        {
            var key = (i % 37).ToString(CultureInfo.InvariantCulture);
            cache.Set(key, [i]);
            cache.Get(((i * 7) % 37).ToString(CultureInfo.InvariantCulture));
        });

        Assert.Equal(10, cache.Count);
    }

    [Fact]
    public void Constructor_rejects_a_capacity_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LruEmbeddingCache(0));
    }
}
