namespace RouterFunctions.Core.Tests;

public class VectorMathTests
{
    [Fact]
    public void SquaredDistance_is_the_sum_of_squared_differences()
    {
        Assert.Equal(25f, VectorMath.SquaredDistance([1f, 2f], [4f, 6f]), 1e-5f);
        Assert.Equal(0f, VectorMath.SquaredDistance([1f, 2f, 3f], [1f, 2f, 3f]));
    }

    [Fact]
    public void Normalize_scales_to_unit_length()
    {
        float[] v = [3f, 4f];

        VectorMath.Normalize(v);

        Assert.Equal(0.6f, v[0], 1e-6f);
        Assert.Equal(0.8f, v[1], 1e-6f);
    }

    [Fact]
    public void Normalize_leaves_a_zero_vector_alone()
    {
        float[] v = [0f, 0f];

        VectorMath.Normalize(v);

        Assert.Equal([0f, 0f], v);
    }
}
