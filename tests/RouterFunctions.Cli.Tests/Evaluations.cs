using RouterFunctions.Core.Metrics;

namespace RouterFunctions.Cli.Tests;

/// <summary>Hand-made evaluations, for the report and the plot without embedding anything.</summary>
internal static class Evaluations
{
    /// <summary>Two models; the router reaches the best single model's score for <paramref name="routerCostAtBest"/> a query.</summary>
    public static RouterEvaluation TwoModels(double routerCostAtBest)
    {
        var cheap = new CurvePoint(0.0001, 0.70);
        var strong = new CurvePoint(0.002, 0.90);
        var baselines = new Baselines(
            [("cheap-model", cheap), ("strong-model", strong)],
            "strong-model",
            strong,
            Oracle: new CurvePoint(0.0008, 0.95),
            Random: new CurvePoint(0.00105, 0.80),
            ZeroRouterAiq: 0.80);
        SweepPoint[] sweep =
        [
            new(0, new CurvePoint(routerCostAtBest, 0.90), []),
            new(0.5, new CurvePoint(0.0006, 0.85), []),
            new(1, cheap, []),
        ];
        return new RouterEvaluation(
            Queries: 100,
            baselines,
            sweep,
            Aiq: 0.83,
            BestScore: 0.90,
            CostAt: new Dictionary<double, double?> { [0.85] = 0.0006, [0.90] = routerCostAtBest, [0.99] = null });
    }
}
