using System.Numerics.Tensors;

namespace RouterFunctions.Core;

internal static class VectorMath
{
    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var d = TensorPrimitives.Distance(a, b);
        return d * d;
    }

    public static void Normalize(Span<float> v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm > 1e-12f)
        {
            TensorPrimitives.Divide(v, norm, v);
        }
    }
}
