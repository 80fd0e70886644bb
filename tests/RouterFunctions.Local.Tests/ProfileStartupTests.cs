using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RouterFunctions.Application;

namespace RouterFunctions.Local.Tests;

public sealed class ProfileStartupTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-startup-").FullName;

    [Fact]
    public async Task Without_a_saved_profile_the_first_start_trains_one_from_the_data_and_saves_it()
    {
        var data = Path.Combine(_directory, "queries.jsonl");
        var lines = File.ReadLines(DefaultPaths.TrainingData()!).Where(l => l.Contains("\"split\": \"train\"", StringComparison.Ordinal)).Take(120);
        await File.WriteAllLinesAsync(data, lines);
        File.Copy(DefaultPaths.ModelCatalog()!, Path.Combine(_directory, "models.json"));
        await using var factory = new RouterAppFactory(new() { ["Router:TrainingDataPath"] = data });
        using var client = factory.CreateClient();

        var health = await RouterAppFactory.WaitUntilReadyAsync(client);

        Assert.Equal("ready", health.GetProperty("status").GetString());
        var saved = await client.GetFromJsonAsync<JsonElement>("/api/profiles/current");
        Assert.Equal("120", saved.GetProperty("notes").GetProperty("trainedOn").GetString());
    }

    [Fact]
    public void A_training_data_file_that_is_not_there_stops_start_up_instead_of_leaving_the_router_without_a_profile()
    {
        var missing = Path.Combine(_directory, "missing.jsonl");
        using var factory = new RouterAppFactory(new() { ["Router:TrainingDataPath"] = missing });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.StartsWith($"Router:TrainingDataPath = '{missing}': no such file; ", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_stops_start_up_naming_the_setting_and_how_to_get_the_model()
    {
        var missing = Path.Combine(_directory, "no-model-here");
        using var factory = new RouterAppFactory(new() { ["Embedding:ModelDirectory"] = missing });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains($"Embedding:ModelDirectory = '{missing}': no such folder", error.Message, StringComparison.Ordinal);
        Assert.Contains("models/download.sh", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
