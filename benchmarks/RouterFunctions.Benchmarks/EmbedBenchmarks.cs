using BenchmarkDotNet.Attributes;
using RouterFunctions.Application;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Benchmarks;

/// <summary>The int8 USE-lite encoder, one intra-op thread, tokenisation included.</summary>
[Config(typeof(BenchmarkConfig))]
public class EmbedBenchmarks
{
    private OnnxEmbeddingGenerator _generator = null!;
    private string[] _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = DefaultPaths.ModelDirectory() });
        _batch = [.. Queries.Short.Take(32)];
    }

    [GlobalCleanup]
    public void Cleanup() => _generator.Dispose();

    [Benchmark]
    public float[] OneQuery() => _generator.Embed([Queries.Short[0]])[0];

    [Benchmark(OperationsPerInvoke = 32)]
    public float[][] BatchOf32() => _generator.Embed(_batch);
}
