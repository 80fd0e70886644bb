using RouterFunctions.Core.Training;

namespace RouterFunctions.Core.Tests.Training;

public class LogisticRegressionTests
{
    // y = 1 when x₀ − x₁ > 0, with two labels flipped near the boundary so the data is not separable.
    private static (List<float[]> X, List<double> Y) Diagonal()
    {
        var random = new Random(8);
        var x = new List<float[]>();
        var y = new List<double>();
        for (var i = 0; i < 60; i++)
        {
            var row = new[] { (float)((random.NextDouble() * 4) - 2), (float)((random.NextDouble() * 4) - 2) };
            var margin = row[0] - row[1];
            x.Add(row);
            y.Add(margin > 0 ? 1 : 0);
        }

        var nearBoundary = Enumerable.Range(0, x.Count).OrderBy(i => Math.Abs(x[i][0] - x[i][1])).Take(2);
        foreach (var i in nearBoundary)
        {
            y[i] = 1 - y[i];
        }

        return (x, y);
    }

    [Fact]
    public void Fit_predicts_the_right_side_of_one_half_away_from_the_boundary()
    {
        var (x, y) = Diagonal();

        var head = LogisticRegression.Fit(x, y, c: 1);

        Assert.True(head.Weights[0] > 0 && head.Weights[1] < 0, "weights must point along x₀ − x₁");
        for (var i = 0; i < x.Count; i++)
        {
            if (Math.Abs(x[i][0] - x[i][1]) > 0.5)
            {
                Assert.Equal(x[i][0] > x[i][1], head.Predict(x[i]) > 0.5);
            }
        }

        Assert.True(head.Predict([2f, -2f]) > 0.9);
        Assert.True(head.Predict([-2f, 2f]) < 0.1);
    }

    [Fact]
    public void Fit_with_stronger_regularisation_shrinks_the_weights()
    {
        var (x, y) = Diagonal();

        static double Norm(float[] w) => Math.Sqrt(w.Sum(v => (double)v * v));
        var strong = Norm(LogisticRegression.Fit(x, y, c: 0.01).Weights);
        var medium = Norm(LogisticRegression.Fit(x, y, c: 0.1).Weights);
        var weak = Norm(LogisticRegression.Fit(x, y, c: 10).Weights);

        Assert.True(strong < medium && medium < weak, $"‖w‖ should grow with C: {strong}, {medium}, {weak}");
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(1.0)]
    [InlineData(100.0)]
    public void Fit_on_all_zero_features_gives_the_logit_of_the_mean_label_for_any_C(double c)
    {
        // With x = 0 the objective is 0.5‖w‖² + C·Σ logloss(σ(b), yᵢ). Its gradient in w is w alone, so w = 0;
        // its gradient in b is C·Σ(σ(b) − yᵢ), zero when σ(b) = ȳ: b = log(ȳ / (1 − ȳ)), whatever C is.
        var x = Enumerable.Range(0, 8).Select(_ => new float[3]).ToList();
        double[] y = [1, 0, 0, 0, 1, 0, 0, 0]; // ȳ = 1/4

        var head = LogisticRegression.Fit(x, y, c);

        Assert.Equal(Math.Log(0.25 / 0.75), head.Bias, 1e-3);
        Assert.Equal([0f, 0f, 0f], head.Weights);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(3.0)]
    public void Fit_returns_a_point_where_the_objective_gradient_vanishes(double c)
    {
        // Optimality of 0.5‖w‖² + C·Σ logloss with an unpenalised bias, independent of the solver:
        // wⱼ + C·Σ(pᵢ − yᵢ)xᵢⱼ = 0 and C·Σ(pᵢ − yᵢ) = 0.
        var (x, y) = Diagonal();

        var head = LogisticRegression.Fit(x, y, c);

        var gradient = new double[3];
        gradient[0] = head.Weights[0];
        gradient[1] = head.Weights[1];
        for (var i = 0; i < x.Count; i++)
        {
            var residual = c * (head.Predict(x[i]) - y[i]);
            gradient[0] += residual * x[i][0];
            gradient[1] += residual * x[i][1];
            gradient[2] += residual;
        }

        Assert.All(gradient, g => Assert.InRange(g, -1e-4 * x.Count * c, 1e-4 * x.Count * c));
    }
}
