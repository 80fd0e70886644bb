using System.Text.Json;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Metrics;
using static RouterFunctions.Core.Tests.Metrics.OutcomeTableTests;

namespace RouterFunctions.Core.Tests.Metrics;

public class BaselinesTests
{
    private const double Tolerance = 1e-12;

    // All three models score 0.5 on average; c is the cheapest and listed last, so "first wins" would be wrong.
    // Oracle per query: q0 a/b tie → b (cheaper, later index); q1 c; q2 a; q3 b/c tie → c.
    private static OutcomeTable TiedTable() => new(
        ["a", "b", "c"],
        [
            Row(("a", 1, 3.0), ("b", 1, 1.0), ("c", 0, 0.5)),
            Row(("a", 0, 3.0), ("b", 0, 1.0), ("c", 1, 0.5)),
            Row(("a", 1, 3.0), ("b", 0, 1.0), ("c", 0, 0.5)),
            Row(("a", 0, 3.0), ("b", 1, 1.0), ("c", 1, 0.5)),
        ]);

    [Fact]
    public void Compute_reports_each_single_model_in_table_order()
    {
        var baselines = Baselines.Compute(TiedTable());

        Assert.Equal(["a", "b", "c"], baselines.SingleModels.Select(s => s.Model));
        Assert.Equal([new CurvePoint(3.0, 0.5), new CurvePoint(1.0, 0.5), new CurvePoint(0.5, 0.5)], baselines.SingleModels.Select(s => s.Point));
        Assert.Equal(0.5, baselines.MinCost);
        Assert.Equal(3.0, baselines.MaxCost);
        Assert.Equal(new CurvePoint(0.5, 0.5), baselines.Cheapest);
    }

    [Fact]
    public void Compute_breaks_a_best_single_model_tie_toward_the_cheaper_model()
    {
        var baselines = Baselines.Compute(TiedTable());

        Assert.Equal("c", baselines.BestSingleModel);
        Assert.Equal(new CurvePoint(0.5, 0.5), baselines.BestSingle);
    }

    [Fact]
    public void Compute_oracle_takes_the_best_score_per_query_and_the_cheaper_model_on_a_tie()
    {
        var oracle = Baselines.Compute(TiedTable()).Oracle;

        Assert.Equal(1.0, oracle.Score, Tolerance);
        Assert.Equal((1.0 + 0.5 + 3.0 + 0.5) / 4, oracle.Cost, Tolerance);
    }

    [Fact]
    public void Compute_random_is_the_expectation_of_a_uniform_pick()
    {
        var random = Baselines.Compute(TiedTable()).Random;

        Assert.Equal((3.0 + 1.0 + 0.5) / 3, random.Cost, Tolerance);
        Assert.Equal(0.5, random.Score, Tolerance);
    }

    [Fact]
    public void Compute_zero_router_aiq_is_flat_when_every_model_scores_the_same()
    {
        Assert.Equal(0.5, Baselines.Compute(TiedTable()).ZeroRouterAiq, Tolerance);
    }

    [Fact]
    public void Compute_zero_router_aiq_is_the_area_under_the_chord_between_two_models()
    {
        // a: (cost 1, score 0.5); b: (cost 3, score 1). Over [1, 3] the chord averages (0.5 + 1) / 2.
        var table = new OutcomeTable(
            ["a", "b"],
            [Row(("a", 1, 1.0), ("b", 1, 3.0)), Row(("a", 0, 1.0), ("b", 1, 3.0))]);

        var baselines = Baselines.Compute(table);

        Assert.Equal(0.75, baselines.ZeroRouterAiq, Tolerance);
        Assert.Equal("b", baselines.BestSingleModel);
        Assert.Equal(new CurvePoint(2.0, 1.0), baselines.Oracle);
        Assert.Equal(new CurvePoint(2.0, 0.75), baselines.Random);
    }

    [Fact]
    public void Compute_on_the_routerbench_test_split_reproduces_the_published_baselines()
    {
        var folder = FindDataset();
        if (folder is null)
        {
            Assert.Skip("shared/data/routerbench_subset was not found above the test binaries.");
        }

        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "baselines_test.json")));
        var root = expected.RootElement;
        var models = root.GetProperty("per_model").EnumerateObject().Select(p => p.Name).ToList();
        var reader = new DatasetReader();
        var rows = File.ReadLines(Path.Combine(folder, "queries.jsonl"))
            .Select((line, i) => reader.Parse(line, i + 1))
            .Where(q => q.Split == DatasetSplit.Test)
            .Select(q => q.Results)
            .ToList();

        var baselines = Baselines.Compute(new OutcomeTable(models, rows));

        Assert.Equal(root.GetProperty("queries").GetInt32(), rows.Count);
        Assert.Equal(root.GetProperty("zero_router_AIQ_of_single_models_hull").GetDouble(), baselines.ZeroRouterAiq, 1e-9);
        Assert.Equal(root.GetProperty("best_single_model").GetString(), baselines.BestSingleModel);
        var best = root.GetProperty("per_model").GetProperty(baselines.BestSingleModel);
        Assert.Equal(best.GetProperty("mean_score").GetDouble(), baselines.BestSingle.Score, 1e-9);
        Assert.Equal(root.GetProperty("oracle").GetProperty("mean_score").GetDouble(), baselines.Oracle.Score, 1e-9);
        Assert.Equal(root.GetProperty("oracle").GetProperty("mean_cost").GetDouble(), baselines.Oracle.Cost, 1e-12);
        Assert.Equal(root.GetProperty("random_expected").GetProperty("mean_score").GetDouble(), baselines.Random.Score, 1e-9);
        Assert.Equal(root.GetProperty("random_expected").GetProperty("mean_cost").GetDouble(), baselines.Random.Cost, 1e-12);
        foreach (var (model, point) in baselines.SingleModels)
        {
            var reference = root.GetProperty("per_model").GetProperty(model);
            Assert.Equal(reference.GetProperty("mean_score").GetDouble(), point.Score, 1e-9);
            Assert.Equal(reference.GetProperty("mean_cost").GetDouble(), point.Cost, 1e-12);
        }
    }

    private static string? FindDataset()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "routerbench_subset");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
