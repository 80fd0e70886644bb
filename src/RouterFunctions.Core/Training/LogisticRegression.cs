using System.Numerics.Tensors;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Training;

/// <summary>
/// L2-regularised logistic regression: minimises 0.5‖w‖² + C·Σ log-loss, bias unpenalised, by Nesterov-accelerated
/// gradient descent with a step from a Lipschitz bound. The problem is convex, so the result does not depend on
/// the solver, and it is deterministic.
/// </summary>
public static class LogisticRegression
{
    public static LogisticHead Fit(IReadOnlyList<float[]> x, IReadOnlyList<double> y, double c, int maxIterations = 1000, double tolerance = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var n = x.Count;
        var d = x[0].Length;

        // Hessian ≤ I + (C/4)·Σ(‖x‖²+1): a safe inverse step.
        var lipschitz = 1 + (0.25 * c * x.Sum(row => TensorPrimitives.Dot(row, row) + 1.0));
        var step = 1 / lipschitz;
        var w = new double[d + 1];
        var previous = new double[d + 1];
        var look = new double[d + 1];
        var gradient = new double[d + 1];
        var lookFloat = new float[d];
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            var momentum = (iteration - 1.0) / (iteration + 2.0);
            for (var j = 0; j <= d; j++)
            {
                look[j] = w[j] + (momentum * (w[j] - previous[j]));
            }

            Gradient(x, y, c, look, lookFloat, gradient);
            Array.Copy(w, previous, d + 1);
            var norm = 0.0;
            for (var j = 0; j <= d; j++)
            {
                w[j] = look[j] - (step * gradient[j]);
                norm += gradient[j] * gradient[j];
            }

            if (Math.Sqrt(norm) < tolerance * n * c)
            {
                break;
            }
        }

        return new LogisticHead([.. w.Take(d).Select(v => (float)v)], w[d]);
    }

    private static void Gradient(IReadOnlyList<float[]> x, IReadOnlyList<double> y, double c, double[] w, float[] wFloat, double[] gradient)
    {
        var d = wFloat.Length;
        for (var j = 0; j < d; j++)
        {
            wFloat[j] = (float)w[j];
            gradient[j] = w[j];
        }

        gradient[d] = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var z = TensorPrimitives.Dot(x[i], wFloat) + w[d];
            var residual = c * ((1 / (1 + Math.Exp(-z))) - y[i]);
            var row = x[i];
            for (var j = 0; j < d; j++)
            {
                gradient[j] += residual * row[j];
            }

            gradient[d] += residual;
        }
    }
}
