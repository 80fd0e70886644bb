namespace RouterFunctions.Functions.Tests;

/// <summary>POST /api/route through <see cref="RouteFunction"/> over the real routing use case.</summary>
public sealed class RouteFunctionTests(FunctionsFixture fixture)
{
    private readonly FunctionsApp _app = fixture.App;

    [Fact]
    public async Task A_query_is_routed_to_a_profile_model_with_candidates_and_a_request_id()
    {
        using var call = HttpCall.Post(_app, "/api/route", new { query = "What is the derivative of x squared?" });
        var body = (await call.AnswerAsync(await _app.Function<RouteFunction>().RunAsync(call.Request, TestContext.Current.CancellationToken))).AssertJson(200);

        Assert.Contains(body.GetProperty("model").GetString(), fixture.Models);
        var candidates = body.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("model").GetString()).ToList();
        Assert.Equal(fixture.Models.Order(StringComparer.Ordinal), candidates.Order(StringComparer.Ordinal));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("requestId").GetString()));
        Assert.Equal("ok", body.GetProperty("storage").GetString());
    }

    [Theory]
    [InlineData("""{"query":"   "}""", "query")]
    [InlineData("""{"query":"hello","policy":{"costWeight":"high"}}""", "policy.costWeight")]
    [InlineData("""[1,2]""", "body")]
    public async Task A_bad_request_is_a_400_naming_the_field(string json, string field)
    {
        using var call = new HttpCall(_app.Services, "POST", "/api/route", json);
        (await call.AnswerAsync(await _app.Function<RouteFunction>().RunAsync(call.Request, TestContext.Current.CancellationToken))).AssertInvalid(field);
    }

    [Fact]
    public async Task Before_a_profile_is_loaded_routing_is_a_503()
    {
        await using var app = await FunctionsApp.StartAsync(fixture.ProfilePath, start: false);
        using var call = HttpCall.Post(app, "/api/route", new { query = "hello" });
        var problem = (await call.AnswerAsync(await app.Function<RouteFunction>().RunAsync(call.Request, TestContext.Current.CancellationToken))).AssertProblem(503);
        Assert.Contains("retry", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
