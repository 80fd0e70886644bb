using System.Text.Json;

namespace RouterFunctions.Cli.Tests;

[Collection(OwnDataCollection.Name)]
public sealed class RouteCommandTests(OwnDataFixture data)
{
    [Fact]
    public async Task Route_prints_the_decision_with_a_candidate_per_model()
    {
        var (exit, output, log) = await Cli.RunAsync("route", "Write a function that reverses a string.", "--profile", data.ProfilePath);

        Assert.True(exit == 0, log);
        var decision = JsonDocument.Parse(output).RootElement;
        var model = decision.GetProperty("model").GetString();
        Assert.Contains(decision.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("model").GetString() == model);
        Assert.Equal(11, decision.GetProperty("candidates").GetArrayLength());
    }

    [Fact]
    public async Task Route_rejects_a_cost_weight_out_of_range()
    {
        var (exit, _, log) = await Cli.RunAsync("route", "hello", "--profile", data.ProfilePath, "--cost-weight", "3");

        Assert.Equal(2, exit);
        Assert.Contains("--cost-weight", log, StringComparison.Ordinal);
    }
}
