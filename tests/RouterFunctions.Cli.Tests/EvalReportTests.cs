using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Cli.Tests;

public sealed class EvalReportTests
{
    private static readonly RoutingProfile Profile = new()
    {
        Version = 3, EmbeddingModelId = "test", Models = [], Groups = [], Centroids = [], CentroidGroups = [], Cells = [], GroupCells = [], Global = [],
    };

    [Fact]
    public void A_router_cheaper_than_the_best_single_model_is_reported_as_less()
    {
        var text = Print(routerCostAtBest: 0.0015);

        Assert.Contains("$1.50 per 1k (25% less than strong-model)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("more than", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_router_that_costs_more_than_the_best_single_model_is_reported_as_more_not_as_a_negative_saving()
    {
        var text = Print(routerCostAtBest: 0.003);

        Assert.Contains("$3.00 per 1k (50% more than strong-model)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("-50", text, StringComparison.Ordinal);
        Assert.Contains("$0.60 per 1k (70% less than strong-model)", text, StringComparison.Ordinal); // the cheaper level still says less
    }

    private static string Print(double routerCostAtBest)
    {
        using var output = new StringWriter();
        EvalReport.Print(output, Evaluations.TwoModels(routerCostAtBest), [], Profile, "plot.png");
        return output.ToString();
    }
}
