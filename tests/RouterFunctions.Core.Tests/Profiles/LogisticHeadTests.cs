using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Tests.Profiles;

public class LogisticHeadTests
{
    [Fact]
    public void Predict_is_one_half_on_the_decision_boundary()
    {
        // 1·0.5 + 2·0.25 − 1 = 0.
        Assert.Equal(0.5, new LogisticHead([1f, 2f], -1).Predict([0.5f, 0.25f]), 1e-12);
    }

    [Fact]
    public void Predict_is_the_sigmoid_of_the_linear_score()
    {
        // 1·1 + 2·1 − 1 = 2.
        Assert.Equal(1 / (1 + Math.Exp(-2)), new LogisticHead([1f, 2f], -1).Predict([1f, 1f]), 1e-12);
        Assert.Equal(1 / (1 + Math.Exp(3)), new LogisticHead([1f, 2f], 0).Predict([-1f, -1f]), 1e-12);
    }
}
