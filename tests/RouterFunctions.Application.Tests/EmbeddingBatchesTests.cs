namespace RouterFunctions.Application.Tests;

public sealed class EmbeddingBatchesTests
{
    // Text "t7" embeds to [7, -7]: each vector says which text it belongs to.
    private static float[] VectorFor(string text)
    {
        var n = int.Parse(text.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
        return [n, -n];
    }

    private static List<string> Texts(int count) => [.. Enumerable.Range(0, count).Select(i => $"t{i}")];

    [Fact]
    public async Task EmbedAllAsync_returns_one_vector_per_text_in_the_order_given_across_batches()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var texts = Texts(11);

        var vectors = await generator.EmbedAllAsync(texts, batchSize: 4, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(texts.Count, vectors.Length);
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(VectorFor(texts[i]), vectors[i]);
        }
    }

    [Fact]
    public async Task EmbedAllAsync_sends_consecutive_batches_of_at_most_the_batch_size()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var texts = Texts(11);

        await generator.EmbedAllAsync(texts, batchSize: 4, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([texts[0..4], texts[4..8], texts[8..11]], generator.Batches);
    }

    [Fact]
    public async Task EmbedAllAsync_batches_by_sixteen_by_default()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var texts = Texts(40);

        await generator.EmbedAllAsync(texts, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([16, 16, 8], generator.Batches.Select(b => b.Count));
        Assert.Equal(texts, generator.Batches.SelectMany(b => b));
    }

    [Fact]
    public async Task EmbedAllAsync_reports_the_cumulative_count_after_each_batch()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var reports = new List<(int Done, int BatchesSent)>();
        var progress = new InlineProgress<int>(done => reports.Add((done, generator.Batches.Count)));

        await generator.EmbedAllAsync(Texts(10), progress, batchSize: 3, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([(3, 1), (6, 2), (9, 3), (10, 4)], reports);
    }

    [Fact]
    public async Task EmbedAllAsync_of_no_texts_asks_for_nothing_and_reports_nothing()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        var reports = new List<int>();

        var vectors = await generator.EmbedAllAsync([], new InlineProgress<int>(reports.Add), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(vectors);
        Assert.Empty(generator.Batches);
        Assert.Empty(reports);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task EmbedAllAsync_rejects_a_batch_size_below_one(int batchSize)
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => generator.EmbedAllAsync(Texts(3), batchSize: batchSize, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("batchSize", error.ParamName);
        Assert.Empty(generator.Batches);
    }

    [Fact]
    public async Task EmbedAllAsync_passes_cancellation_to_the_generator()
    {
        var generator = new RecordingEmbeddingGenerator(VectorFor);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.EmbedAllAsync(Texts(3), cancellationToken: cancelled.Token));
    }
}
