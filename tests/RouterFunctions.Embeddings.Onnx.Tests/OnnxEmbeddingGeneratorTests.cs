using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace RouterFunctions.Embeddings.Onnx.Tests;

public sealed class OnnxEmbeddingGeneratorTests : IClassFixture<OnnxEmbeddingGeneratorTests.Model>
{
    private readonly OnnxEmbeddingGenerator _generator;

    public OnnxEmbeddingGeneratorTests(Model model) => _generator = model.Generator;

    [Theory]
    // Reference cosines from the model's SOURCE.md (int8 model vs the original TF.js graph's values).
    [InlineData("How do I reset my password?", "I forgot my login password, how can I change it?", 0.9192)]
    [InlineData("How do I reset my password?", "What is the capital of France?", 0.1254)]
    public async Task Cosine_similarities_match_the_published_reference(string a, string b, double expected)
    {
        var embeddings = await _generator.GenerateAsync([a, b]);

        var cosine = TensorPrimitives.CosineSimilarity(embeddings[0].Vector.Span, embeddings[1].Vector.Span);
        Assert.Equal(expected, cosine, 0.0006);
    }

    [Fact]
    public async Task Vectors_are_512_d_unit_length_and_name_the_model()
    {
        var embedding = (await _generator.GenerateAsync(["Route me to a cheap model."]))[0];

        Assert.Equal(512, embedding.Vector.Length);
        Assert.Equal(1.0, TensorPrimitives.Norm(embedding.Vector.Span), 1e-4);
        Assert.Equal("use-lite-int8", embedding.ModelId);
        Assert.Equal(512, _generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions);
    }

    [Fact]
    public void A_text_embeds_the_same_alone_and_in_a_padded_batch()
    {
        string[] texts = ["short", "a much longer sentence with many more tokens in it than the first one has", "mid length text"];

        var batch = _generator.Embed(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var alone = _generator.Embed([texts[i]])[0];
            Assert.True(TensorPrimitives.CosineSimilarity(alone, batch[i]) > 0.99999, texts[i]);
        }
    }

    [Fact]
    public void Text_past_128_tokens_does_not_change_the_vector()
    {
        var head = string.Join(' ', Enumerable.Range(0, 200).Select(i => $"word{i}"));

        var a = _generator.Embed([head])[0];
        var b = _generator.Embed([head + " and an entirely different ending about volcanoes"])[0];

        Assert.True(TensorPrimitives.CosineSimilarity(a, b) > 0.99999);
    }

    [Fact]
    public void Empty_text_and_an_empty_batch_are_handled()
    {
        Assert.Empty(_generator.Embed([]));
        Assert.Equal(512, _generator.Embed([""])[0].Length);
    }

    [Fact]
    public async Task Concurrent_calls_share_the_session_safely()
    {
        var texts = Enumerable.Range(0, 16).Select(i => $"question number {i} about physics").ToList();
        var sequential = texts.Select(t => _generator.Embed([t])[0]).ToList();

        var parallel = await Task.WhenAll(texts.Select(t => Task.Run(() => _generator.Embed([t])[0])));

        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }

    public sealed class Model : IDisposable
    {
        public OnnxEmbeddingGenerator Generator { get; } = new(new OnnxEmbeddingOptions { ModelDirectory = ModelFiles.Directory });

        public void Dispose() => Generator.Dispose();
    }
}
