namespace RouterFunctions.Embeddings.Onnx;

/// <summary>Masked mean over token states, then L2 normalisation: what BERT-style sentence encoders expect.</summary>
public static class MeanPooling
{
    public static float[][] Pool(ReadOnlySpan<float> states, ReadOnlySpan<long> mask, int rows, int width, int dimensions)
    {
        var result = new float[rows][];
        for (var i = 0; i < rows; i++)
        {
            var vector = new float[dimensions];
            var count = 0;
            for (var t = 0; t < width; t++)
            {
                if (mask[(i * width) + t] == 0)
                {
                    continue;
                }

                count++;
                var token = states.Slice(((i * width) + t) * dimensions, dimensions);
                for (var d = 0; d < dimensions; d++)
                {
                    vector[d] += token[d];
                }
            }

            var norm = 0.0;
            for (var d = 0; d < dimensions; d++)
            {
                vector[d] /= Math.Max(count, 1);
                norm += vector[d] * vector[d];
            }

            var scale = (float)(1.0 / Math.Max(Math.Sqrt(norm), 1e-12));
            for (var d = 0; d < dimensions; d++)
            {
                vector[d] *= scale;
            }

            result[i] = vector;
        }

        return result;
    }
}
