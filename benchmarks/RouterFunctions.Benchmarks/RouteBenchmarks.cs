using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using RouterFunctions.Application;
using RouterFunctions.Core.Embeddings;
using RouterFunctions.Core.Routing;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Benchmarks;

/// <summary>
/// What POST /api/route does between reading the body and writing the answer: embed through the cache pipeline, then
/// decide, on a 12-centroid profile (the trained profile's size). Cached = the query is in the in-process LRU.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class RouteBenchmarks
{
    private OnnxEmbeddingGenerator _model = null!;
    private IEmbeddingGenerator<string, Embedding<float>> _pipeline = null!;
    private Router _router = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _model = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = DefaultPaths.ModelDirectory() });
        _pipeline = new EmbeddingGeneratorBuilder<string, Embedding<float>>(_model).UseLruCache(new LruEmbeddingCache(1024)).Build();
        _router = new Router(SyntheticProfile.Create(12));
        _pipeline.GenerateAsync([Queries.Short[0]]).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark]
    public async Task<RoutingDecision> Cached()
    {
        var embedding = (await _pipeline.GenerateAsync([Queries.Short[0]]))[0];
        return _router.Decide(embedding.Vector.Span, RoutingPolicy.Default);
    }

    /// <summary>A fresh text every call (a counter suffix), so each one misses the cache and runs the model.</summary>
    [Benchmark]
    public async Task<RoutingDecision> Uncached()
    {
        var text = $"{Queries.Short[_next % Queries.Short.Length]} #{_next++}";
        var embedding = (await _pipeline.GenerateAsync([text]))[0];
        return _router.Decide(embedding.Vector.Span, RoutingPolicy.Default);
    }
}
