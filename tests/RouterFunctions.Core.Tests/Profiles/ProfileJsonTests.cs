using System.Text.Json;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Tests.Profiles;

public class ProfileJsonTests
{
    private static RoutingProfile Sample(double oodThreshold = double.PositiveInfinity, string? fallback = null) => new()
    {
        Version = 4,
        CreatedAt = new DateTimeOffset(2025, 3, 1, 12, 30, 0, TimeSpan.FromHours(2)),
        EmbeddingModelId = "bge-small",
        Models =
        [
            new() { Name = "cheap", InputPricePerMillion = 0.2, OutputPricePerMillion = 0.4, ContextLength = 8192 },
            new() { Name = "dear", InputPricePerMillion = 10, OutputPricePerMillion = 30, Enabled = false, PriorQuality = 0.9, PriorCost = 0.02 },
        ],
        Groups = ["arc", "mbpp"],
        Centroids = [[0.25f, -1.5f, 3f], [1f, 0f, -0.125f]],
        CentroidGroups = [0, 1],
        Cells = [[new CellStats(3, 2.0 / 3, 1e-4), CellStats.Empty], [new CellStats(1, 1, 2e-4), new CellStats(2, 0.5, 0.01)]],
        GroupCells = [[new CellStats(3, 2.0 / 3, 1e-4), CellStats.Empty], [new CellStats(1, 1, 2e-4), new CellStats(2, 0.5, 0.01)]],
        Global = [new CellStats(4, 0.75, 1.25e-4), new CellStats(2, 0.5, 0.01)],
        Heads = [[new LogisticHead([0.5f, -0.25f, 1f], -0.3), null], [null, new LogisticHead([1f, 2f, 3f], 0.1)]],
        Scorer = new ScorerSettings { Kind = ScorerKind.GroupLogistic, TopK = 2, Temperature = 0.1, Shrinkage = 30, Regularization = 0.03 },
        OodThreshold = oodThreshold,
        FallbackModel = fallback,
        Notes = new Dictionary<string, string> { ["seed"] = "42", ["cv"] = "0.91" },
    };

    [Fact]
    public void Serialize_then_Deserialize_restores_every_field()
    {
        var original = Sample(fallback: "cheap");

        var copy = ProfileJson.Deserialize(ProfileJson.Serialize(original));

        AssertEquivalent(original, copy);
    }

    [Fact]
    public void Serialize_then_Deserialize_keeps_an_infinite_ood_threshold()
    {
        var json = ProfileJson.Serialize(Sample(double.PositiveInfinity));

        Assert.Contains("\"oodThreshold\":\"Infinity\"", json, StringComparison.Ordinal);
        Assert.Equal(double.PositiveInfinity, ProfileJson.Deserialize(json).OodThreshold);
    }

    [Fact]
    public void Serialize_then_Deserialize_keeps_a_finite_ood_threshold_exactly()
    {
        Assert.Equal(0.123456789012345, ProfileJson.Deserialize(ProfileJson.Serialize(Sample(0.123456789012345))).OodThreshold);
    }

    [Fact]
    public void Serialize_uses_camel_case_and_omits_nulls()
    {
        var json = ProfileJson.Serialize(Sample() with { Heads = null });

        Assert.Contains("\"embeddingModelId\":\"bge-small\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("fallbackModel", json, StringComparison.Ordinal);
        Assert.DoesNotContain("heads", json, StringComparison.Ordinal);
        Assert.Null(ProfileJson.Deserialize(json).Heads);
    }

    [Fact]
    public void Serialize_then_Deserialize_restores_the_group_modes_by_name()
    {
        var original = Sample() with { GroupModes = [GroupMode.Scorer, new GroupMode(GroupPrediction.Best, "dear")] };

        var json = ProfileJson.Serialize(original);
        var copy = ProfileJson.Deserialize(json);

        Assert.Contains("\"groupModes\":[{\"mode\":\"Scorer\"},{\"mode\":\"Best\",\"model\":\"dear\"}]", json, StringComparison.Ordinal);
        Assert.Equal(original.GroupModes, copy.GroupModes);
        Assert.Equal(new GroupMode(GroupPrediction.Best, "dear"), copy.ModeOf(1));
    }

    [Fact]
    public void Deserialize_of_a_profile_without_group_modes_puts_every_group_on_the_scorer()
    {
        // A profile written before the field existed.
        var json = ProfileJson.Serialize(Sample());
        Assert.DoesNotContain("groupModes", json, StringComparison.Ordinal);

        var profile = ProfileJson.Deserialize(json);

        Assert.Null(profile.GroupModes);
        Assert.All(Enumerable.Range(0, profile.Groups.Count), g => Assert.Equal(GroupMode.Scorer, profile.ModeOf(g)));
    }

    [Fact]
    public void Deserialize_throws_on_a_null_document()
    {
        Assert.Throws<JsonException>(() => ProfileJson.Deserialize("null"));
    }

    [Fact]
    public void Deserialize_throws_when_a_required_field_is_missing()
    {
        var json = ProfileJson.Serialize(Sample()).Replace("\"embeddingModelId\":\"bge-small\",", "", StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => ProfileJson.Deserialize(json));
    }

    private static void AssertEquivalent(RoutingProfile expected, RoutingProfile actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.CreatedAt.Offset, actual.CreatedAt.Offset);
        Assert.Equal(expected.EmbeddingModelId, actual.EmbeddingModelId);
        Assert.Equal(expected.Models, actual.Models);
        Assert.Equal(expected.Groups, actual.Groups);
        Assert.Equal(expected.Centroids.Count, actual.Centroids.Count);
        for (var c = 0; c < expected.Centroids.Count; c++)
        {
            Assert.Equal(expected.Centroids[c], actual.Centroids[c]);
        }

        Assert.Equal(expected.CentroidGroups, actual.CentroidGroups);
        AssertRows(expected.Cells, actual.Cells);
        AssertRows(expected.GroupCells, actual.GroupCells);
        Assert.Equal(expected.Global, actual.Global);
        Assert.NotNull(actual.Heads);
        Assert.Equal(expected.Heads!.Count, actual.Heads.Count);
        for (var g = 0; g < expected.Heads.Count; g++)
        {
            Assert.Equal(expected.Heads[g].Length, actual.Heads[g].Length);
            for (var m = 0; m < expected.Heads[g].Length; m++)
            {
                Assert.Equal(expected.Heads[g][m]?.Bias, actual.Heads[g][m]?.Bias);
                Assert.Equal(expected.Heads[g][m]?.Weights, actual.Heads[g][m]?.Weights);
            }
        }

        Assert.Equal(expected.Scorer, actual.Scorer);
        Assert.Equal(expected.GroupModes, actual.GroupModes);
        Assert.Equal(expected.OodThreshold, actual.OodThreshold);
        Assert.Equal(expected.FallbackModel, actual.FallbackModel);
        Assert.Equal(expected.Notes.OrderBy(n => n.Key, StringComparer.Ordinal), actual.Notes.OrderBy(n => n.Key, StringComparer.Ordinal));
    }

    private static void AssertRows(IReadOnlyList<CellStats[]> expected, IReadOnlyList<CellStats[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }
}
