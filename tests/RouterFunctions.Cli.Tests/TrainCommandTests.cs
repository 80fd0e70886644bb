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
    public void Train_prints_each_groups_cross_validated_aiq_per_mode_and_the_mode_kept()
    {
        using var profile = JsonDocument.Parse(File.ReadAllText(data.ProfilePath));
        var groups = profile.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).ToList();
        var lines = data.TrainOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal("per-group cross-validated AIQ (scorer / group means / best single model):", lines[0]);
        Assert.Matches(@"^group\s+examples\s+scorer\s+means\s+best\s+mode$", lines[1]);
        Assert.Equal(groups.Count, lines.Length - 2);
        for (var g = 0; g < groups.Count; g++)
        {
            // Name, training examples, three AIQs (or '-' for a group too thin to score), then the mode kept.
            Assert.Matches($@"^{groups[g]}\s+\d+(\s+(0\.\d{{4}}|1\.0000|-)){{3}}\s+(scorer|means|best \(.+\))$", lines[g + 2]);
        }

        var modes = profile.RootElement.GetProperty("groupModes").EnumerateArray().Select(m => m.GetProperty("mode").GetString()).ToList();
        Assert.Equal(groups.Count, modes.Count);
        var trainedOn = int.Parse(profile.RootElement.GetProperty("notes").GetProperty("trainedOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(trainedOn, lines.Skip(2).Sum(l => int.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Train_rejects_a_split_that_has_no_rows()
    {
        var (exit, _, log) = await Cli.RunAsync("train", "--data", data.DataPath, "--split", "validation", "-o", Path.Combine(data.Directory, "x.json"));

        Assert.Equal(2, exit);
        Assert.Contains("No rows with split 'validation'", log, StringComparison.Ordinal);
    }
}
