using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Core.Tests.Profiles;

public class ModelDescriptorTests
{
    [Fact]
    public void EstimatedCost_prices_five_hundred_tokens_in_and_two_hundred_out()
    {
        var model = new ModelDescriptor { Name = "m", InputPricePerMillion = 3, OutputPricePerMillion = 15 };

        // 500 · 3e-6 + 200 · 15e-6 = 0.0015 + 0.003.
        Assert.Equal(0.0045, model.EstimatedCost, 1e-15);
    }

    [Fact]
    public void EstimatedCost_is_the_prior_cost_when_one_is_given()
    {
        var model = new ModelDescriptor { Name = "m", InputPricePerMillion = 3, OutputPricePerMillion = 15, PriorCost = 0.01 };

        Assert.Equal(0.01, model.EstimatedCost);
    }

    [Fact]
    public void A_new_descriptor_is_enabled()
    {
        Assert.True(new ModelDescriptor { Name = "m" }.Enabled);
    }
}
