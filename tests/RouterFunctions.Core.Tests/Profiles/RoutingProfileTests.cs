using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Tests.Profiles;

public class RoutingProfileTests
{
    private static RoutingProfile Profile(params float[][] centroids) => new()
    {
        EmbeddingModelId = "e",
        Models = [new() { Name = "alpha" }, new() { Name = "beta" }],
        Groups = [],
        Centroids = centroids,
        CentroidGroups = [],
        Cells = [],
        GroupCells = [],
        Global = [],
    };

    [Fact]
    public void IndexOf_finds_a_model_by_exact_name()
    {
        var profile = Profile();

        Assert.Equal(1, profile.IndexOf("beta"));
        Assert.Equal(0, profile.IndexOf("alpha"));
        Assert.Equal(-1, profile.IndexOf("Beta"));
        Assert.Equal(-1, profile.IndexOf("gamma"));
    }

    [Fact]
    public void Dimensions_is_the_length_of_the_centroids()
    {
        Assert.Equal(3, Profile([1f, 2f, 3f], [4f, 5f, 6f]).Dimensions);
        Assert.Equal(0, Profile().Dimensions);
    }

    [Fact]
    public void A_new_profile_never_flags_out_of_distribution()
    {
        Assert.Equal(double.PositiveInfinity, Profile().OodThreshold);
        Assert.Null(Profile().FallbackModel);
    }
}
