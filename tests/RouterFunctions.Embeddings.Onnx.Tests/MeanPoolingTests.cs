namespace RouterFunctions.Embeddings.Onnx.Tests;

public sealed class MeanPoolingTests
{
    [Fact]
    public void Masked_tokens_are_left_out_and_the_mean_is_unit_length()
    {
        // One row, three positions of 2-d states; the last is padding and must not count.
        float[] states = [3, 0, 1, 4, 100, 100];
        long[] mask = [1, 1, 0];

        var pooled = MeanPooling.Pool(states, mask, rows: 1, width: 3, dimensions: 2)[0];

        // mean of (3,0) and (1,4) = (2,2) → normalised (1/√2, 1/√2)
        Assert.Equal(1 / Math.Sqrt(2), pooled[0], 1e-6);
        Assert.Equal(1 / Math.Sqrt(2), pooled[1], 1e-6);
    }

    [Fact]
    public void An_all_padding_row_stays_zero_instead_of_dividing_by_zero()
    {
        var pooled = MeanPooling.Pool(new float[4], new long[2], rows: 1, width: 2, dimensions: 2)[0];

        Assert.All(pooled, v => Assert.Equal(0f, v));
    }
}
