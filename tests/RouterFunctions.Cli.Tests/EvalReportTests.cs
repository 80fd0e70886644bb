using System.Text.Json;
using RouterFunctions.Core.Metrics;
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

    [Fact]
    public void Two_model_data_prints_apgr_and_cpt_against_random_routing()
    {
        // PGR 0.75 at x = 0.5: APGR 0.5·0.375 + 0.5·0.875 = 0.625; CPT(50%) = 0.5·0.5/0.75 = 33.3%; CPT(80%) = 0.5 + 0.5·0.05/0.25 = 60%.
        var evaluation = Evaluations.TwoModels(0.0015) with { TwoModel = TwoModelMetrics.FromPoints("strong-model", "cheap-model", 0.9, 0.7, [new(0.5, 0.85)]) };
        using var output = new StringWriter();

        EvalReport.Print(output, evaluation, [("arc", evaluation)], Profile, "plot.png", EvalReport.Notes.Default with { GroupBy = "prefix" });

        var text = output.ToString();
        Assert.Contains("APGR                0.6250   (random 0.5000; strong strong-model 0.9000, weak cheap-model 0.7000)", text, StringComparison.Ordinal);
        Assert.Contains("CPT(50%)            33.3% of calls to strong-model (random 50%)", text, StringComparison.Ordinal);
        Assert.Contains("CPT(80%)            60.0% of calls to strong-model (random 80%)", text, StringComparison.Ordinal);
        Assert.Contains("Per prefix, two models", text, StringComparison.Ordinal);
        Assert.Matches(@"\n  arc +100  0\.6250     33\.3%     60\.0%  strong-model 0\.9000 / cheap-model 0\.7000", text);
    }

    [Fact]
    public void Two_model_metrics_are_in_the_json_overall_and_per_group_and_null_otherwise()
    {
        var two = Evaluations.TwoModels(0.0015) with { TwoModel = TwoModelMetrics.FromPoints("strong-model", "cheap-model", 0.9, 0.7, [new(0.5, 0.85)]) };
        var many = Evaluations.TwoModels(0.0015);

        var json = JsonDocument.Parse(JsonSerializer.Serialize(EvalReport.ToJson(two, [("a", two), ("b", many)], Profile, "plot.png"), EvalReport.JsonOptions)).RootElement;

        var overall = json.GetProperty("twoModel");
        Assert.Equal("strong-model", overall.GetProperty("strong").GetString());
        Assert.Equal(0.625, overall.GetProperty("apgr").GetDouble(), 1e-9);
        Assert.Equal(0.3333, overall.GetProperty("cpt50").GetDouble(), 1e-9);
        Assert.Equal(0.6, overall.GetProperty("cpt80").GetDouble(), 1e-9);
        Assert.Equal(0.625, json.GetProperty("perGroup")[0].GetProperty("twoModel").GetProperty("apgr").GetDouble(), 1e-9);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("perGroup")[1].GetProperty("twoModel").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("decisions").ValueKind);
    }

    [Fact]
    public void A_relative_target_is_labelled_with_what_it_was_asked_as()
    {
        var evaluation = Evaluations.TwoModels(0.0015) with { CostAt = new Dictionary<double, double?> { [0.875] = 0.0012, [0.85] = 0.0006 } };
        using var output = new StringWriter();

        EvalReport.Print(output, evaluation, [], Profile, "plot.png", EvalReport.Notes.Default with { Targets = [ScoreTarget.Parse("best-0.025"), ScoreTarget.Parse("0.85")] });

        var text = output.ToString();
        Assert.Contains("  score ≥ 0.8750 (best-0.025)  $1.20 per 1k (40% less than strong-model)", text, StringComparison.Ordinal);
        Assert.Contains("  score ≥ 0.8500               $0.60 per 1k", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_labels_the_cost_lines_keep_the_aiq_column()
    {
        var text = Print(routerCostAtBest: 0.0015);

        Assert.Contains("  score ≥ 0.8500      $0.60 per 1k", text, StringComparison.Ordinal);
        Assert.Contains("  AIQ                 0.8300", text, StringComparison.Ordinal);
    }

    private static string Print(double routerCostAtBest)
    {
        using var output = new StringWriter();
        EvalReport.Print(output, Evaluations.TwoModels(routerCostAtBest), [], Profile, "plot.png");
        return output.ToString();
    }
}
