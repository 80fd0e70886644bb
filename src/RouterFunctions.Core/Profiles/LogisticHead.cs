namespace RouterFunctions.Core.Profiles;

/// <summary>A calibrated per-model quality predictor on the embedding: P(good answer) = σ(w·x + b).</summary>
public sealed record LogisticHead(float[] Weights, double Bias)
{
    public double Predict(ReadOnlySpan<float> x) =>
        1 / (1 + Math.Exp(-(System.Numerics.Tensors.TensorPrimitives.Dot(x, Weights) + Bias)));
}
