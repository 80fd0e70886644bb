using BenchmarkDotNet.Attributes;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Benchmarks;

/// <summary>The routing decision alone (no embedding): nearest centroids, heads, policy, for 11 models.</summary>
[Config(typeof(BenchmarkConfig))]
public class ScoreBenchmarks
{
    private Router _router = null!;
    private float[] _query = null!;

    [Params(16, 64, 256)]
    public int Centroids { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _router = new Router(SyntheticProfile.Create(Centroids));
        _query = SyntheticProfile.UnitVector(new Random(7), 512);
    }

    [Benchmark]
    public RoutingDecision Decide() => _router.Decide(_query, RoutingPolicy.Default);
}
