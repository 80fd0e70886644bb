namespace RouterFunctions.Functions.Tests;

/// <summary>GET /api/health and GET /api/profiles/current through <see cref="StatusFunctions"/>.</summary>
public sealed class StatusFunctionsTests(FunctionsFixture fixture)
{
    [Fact]
    public async Task Health_answers_ready_with_the_profile_version()
    {
        var app = fixture.App;
        using var call = HttpCall.Get(app, "/api/health");
        var health = (await call.AnswerAsync(app.Function<StatusFunctions>().Health(call.Request))).AssertJson(200);
        Assert.Equal("ready", health.GetProperty("status").GetString());
        Assert.Equal("ready", health.GetProperty("startup").GetString());
        Assert.Equal(app.Get<Application.ProfileHolder>().Current!.Profile.Version, health.GetProperty("profileVersion").GetInt32());
        Assert.True(health.GetProperty("storageReachable").GetBoolean());
    }

    [Fact]
    public async Task Before_a_profile_health_says_starting_and_the_profile_is_a_503()
    {
        await using var app = await FunctionsApp.StartAsync(fixture.ProfilePath, start: false);
        var functions = app.Function<StatusFunctions>();
        using var health = HttpCall.Get(app, "/api/health");
        Assert.Equal("starting", (await health.AnswerAsync(functions.Health(health.Request))).AssertJson(200).GetProperty("status").GetString());
        using var profile = HttpCall.Get(app, "/api/profiles/current");
        (await profile.AnswerAsync(functions.CurrentProfile(profile.Request))).AssertProblem(503);
    }

    [Fact]
    public async Task The_current_profile_is_the_loaded_one()
    {
        var app = fixture.App;
        using var call = HttpCall.Get(app, "/api/profiles/current");
        var profile = (await call.AnswerAsync(app.Function<StatusFunctions>().CurrentProfile(call.Request))).AssertJson(200);
        var loaded = app.Get<Application.ProfileHolder>().Current!.Profile;
        Assert.Equal(loaded.Version, profile.GetProperty("version").GetInt32());
        Assert.Equal(fixture.Models, profile.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()!));
    }
}
