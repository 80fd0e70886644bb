using System.Text.Json;

namespace RouterFunctions.Cli.Tests;

[Collection(OwnDataCollection.Name)]
public sealed class TrainCommandTests(OwnDataFixture data)
{
    [Fact]
    public void Train_reports_progress_and_writes_a_profile_for_every_model_in_the_data()
    {
        using var profile = JsonDocument.Parse(File.ReadAllText(data.ProfilePath));

        // Not a terminal: plain lines from the stage counts the training reports, and its milestones.
        Assert.Matches(@"\[train\] embedding (\d+)/\1", data.TrainLog);
        Assert.Contains("[train] cross-validation 5/5", data.TrainLog, StringComparison.Ordinal);
        Assert.Contains("[train] fitting 1/1", data.TrainLog, StringComparison.Ordinal);
        Assert.Contains("[train] best: ", data.TrainLog, StringComparison.Ordinal);
        Assert.Equal(11, profile.RootElement.GetProperty("models").GetArrayLength());
        Assert.All(profile.RootElement.GetProperty("groups").EnumerateArray(), g => Assert.StartsWith("cluster-", g.GetString(), StringComparison.Ordinal));
        Assert.True(profile.RootElement.GetProperty("models")[0].GetProperty("inputPricePerMillion").GetDouble() > 0);
    }

    [Fact]
    public async Task Train_rejects_a_split_that_has_no_rows()
    {
        var (exit, _, log) = await Cli.RunAsync("train", "--data", data.DataPath, "--split", "validation", "-o", Path.Combine(data.Directory, "x.json"));

        Assert.Equal(2, exit);
        Assert.Contains("No rows with split 'validation'", log, StringComparison.Ordinal);
    }
}
