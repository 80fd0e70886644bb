using RouterFunctions.Core.Data;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Application.Tests;

public sealed class ModelCatalogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-hosting-catalog-").FullName;

    [Fact]
    public void Load_reads_names_and_prices_from_a_routerbench_models_file()
    {
        var path = Write("""
            {
              "models": [
                { "name": "gpt-4-1106-preview", "price_per_1M_input_usd": 10, "price_per_1M_output_usd": 30, "context_length": 128000 },
                { "name": "mistral-7b", "price_per_1M_input_usd": 0.2, "price_per_1M_output_usd": 0.25 }
              ]
            }
            """);

        var models = ModelCatalog.Load(path);

        Assert.Equal(
            [
                new ModelDescriptor { Name = "gpt-4-1106-preview", InputPricePerMillion = 10, OutputPricePerMillion = 30, ContextLength = 128000 },
                new ModelDescriptor { Name = "mistral-7b", InputPricePerMillion = 0.2, OutputPricePerMillion = 0.25 },
            ],
            models);
    }

    [Fact]
    public void Load_reads_a_bare_array_of_models()
    {
        var path = Write("""[{ "name": "a", "price_per_1M_input_usd": 1.5, "price_per_1M_output_usd": 2 }, { "name": "b" }]""");

        var models = ModelCatalog.Load(path);

        Assert.Equal(["a", "b"], models.Select(m => m.Name));
        Assert.Equal(1.5, models[0].InputPricePerMillion);
        Assert.Equal(2, models[0].OutputPricePerMillion);
        Assert.Equal(0, models[1].InputPricePerMillion);
        Assert.Equal(0, models[1].OutputPricePerMillion);
        Assert.Null(models[1].ContextLength);
    }

    [Fact]
    public void Load_treats_missing_or_non_numeric_prices_as_zero()
    {
        var path = Write("""{"models":[{ "name": "odd", "price_per_1M_input_usd": "3", "price_per_1M_output_usd": null, "context_length": "big" }]}""");

        var model = Assert.Single(ModelCatalog.Load(path));

        Assert.Equal(new ModelDescriptor { Name = "odd" }, model);
    }

    [Fact]
    public void Load_reads_a_new_models_cold_start_prior_and_whether_it_is_enabled()
    {
        var path = Write("""{"models":[{ "name": "new", "prior_quality": 0.7, "prior_cost": 0.0004 }, { "name": "off", "enabled": false }]}""");

        var models = ModelCatalog.Load(path);

        Assert.Equal(new ModelDescriptor { Name = "new", PriorQuality = 0.7, PriorCost = 0.0004 }, models[0]);
        Assert.Equal(new ModelDescriptor { Name = "off", Enabled = false }, models[1]);
    }

    [Theory]
    [InlineData("\"prior_quality\": 1.5")]
    [InlineData("\"prior_quality\": \"high\"")]
    [InlineData("\"prior_cost\": -1")]
    public void Load_rejects_a_prior_out_of_range_naming_the_file_and_model(string field)
    {
        var path = Write($$"""{"models":[{ "name": "new", {{field}} }]}""");

        var error = Assert.Throws<FormatException>(() => ModelCatalog.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("'new'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_a_model_whose_name_is_null()
    {
        var path = Write("""{"models":[{ "name": null }]}""");

        var error = Assert.Throws<FormatException>(() => ModelCatalog.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForData_lists_every_model_in_the_rows_once_in_ordinal_order()
    {
        var rows = new[] { Row("q1", "b", "a"), Row("q2", "a", "B", "b"), Row("q3", "_x") };

        var models = ModelCatalog.ForData(rows, catalog: null);

        // Ordinal: 'B' (66) < '_' (95) < 'a' (97) < 'b' (98).
        Assert.Equal(["B", "_x", "a", "b"], models.Select(m => m.Name));
    }

    [Fact]
    public void ForData_prices_models_the_catalog_names_and_leaves_the_others_unpriced()
    {
        var rows = new[] { Row("q1", "priced", "unknown"), Row("q2", "priced") };
        var priced = new ModelDescriptor { Name = "priced", InputPricePerMillion = 3, OutputPricePerMillion = 9, ContextLength = 2048 };
        var catalog = new[] { new ModelDescriptor { Name = "not-in-data", InputPricePerMillion = 1 }, priced };

        var models = ModelCatalog.ForData(rows, catalog);

        Assert.Equal([priced, new ModelDescriptor { Name = "unknown" }], models);
    }

    [Fact]
    public void ForData_matches_catalog_names_case_sensitively()
    {
        var rows = new[] { Row("q1", "Model") };
        var catalog = new[] { new ModelDescriptor { Name = "model", InputPricePerMillion = 1, OutputPricePerMillion = 2 } };

        var model = Assert.Single(ModelCatalog.ForData(rows, catalog));

        Assert.Equal(new ModelDescriptor { Name = "Model" }, model);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static LabeledQuery Row(string id, params string[] models) =>
        new(id, "text of " + id, null, "train", models.ToDictionary(m => m, _ => new ModelOutcome(1, 0.001)));

    private string Write(string json)
    {
        var path = Path.Combine(_directory, $"models-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
