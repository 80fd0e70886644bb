using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RouterFunctions.Local.Tests.Endpoints;

[Collection(AppCollection.Name)]
public sealed class RouteApiTests(RouterAppFixture app)
{
    private HttpClient Client => app.Client;

    [Fact]
    public async Task A_query_is_routed_to_one_of_the_candidates_with_predictions_for_each()
    {
        var body = await RouteAsync(new { query = "Which gas do plants absorb from the air for photosynthesis?" });

        var model = body.GetProperty("model").GetString();
        var candidates = body.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(11, candidates.Count);
        Assert.Contains(candidates, c => c.GetProperty("model").GetString() == model);
        var utilities = candidates.Select(c => c.GetProperty("utility").GetDouble()).ToList();
        Assert.Equal(utilities.OrderDescending(), utilities);
        Assert.All(candidates, c => Assert.InRange(c.GetProperty("predictedQuality").GetDouble(), 0, 1));
        Assert.All(candidates, c => Assert.True(c.GetProperty("predictedCost").GetDouble() > 0));
        Assert.Equal(1, body.GetProperty("profileVersion").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("requestId").GetString()));
        Assert.True(body.GetProperty("timingsMs").GetProperty("total").GetDouble() >= 0);
    }

    [Fact]
    public async Task The_same_query_twice_is_a_cache_miss_then_a_hit_with_the_same_decision()
    {
        var query = new { query = $"What makes the sky blue? {Guid.NewGuid()}" };

        var first = await RouteAsync(query);
        var second = await RouteAsync(query);

        Assert.Equal("miss", first.GetProperty("cache").GetString());
        Assert.Equal("hit", second.GetProperty("cache").GetString());
        Assert.Equal(first.GetProperty("model").GetString(), second.GetProperty("model").GetString());
        Assert.NotEqual(first.GetProperty("requestId").GetString(), second.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Allowed_models_limit_both_the_choice_and_the_candidates()
    {
        string[] allowed = ["mistralai/mistral-7b-chat", "WizardLM/WizardLM-13B-V1.2"];

        var body = await RouteAsync(new { query = "Write a function that sorts a list.", allowedModels = allowed, policy = new { costWeight = 0 } });

        Assert.Contains(body.GetProperty("model").GetString(), allowed);
        Assert.Equal(allowed.Order(), body.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("model").GetString()!).Order());
    }

    [Fact]
    public async Task Cost_weight_one_picks_a_model_no_dearer_than_cost_weight_zero()
    {
        const string query = "Sam put the book in the bag because _ was empty. Option1: book Option2: bag";

        var quality = await RouteAsync(new { query, policy = new { costWeight = 0.0 } });
        var cheap = await RouteAsync(new { query, policy = new { costWeight = 1.0 } });

        Assert.True(PredictedCost(cheap) <= PredictedCost(quality));
        Assert.True(PredictedQuality(quality) >= PredictedQuality(cheap));
    }

    [Fact]
    public async Task A_max_cost_keeps_the_chosen_model_within_budget()
    {
        var body = await RouteAsync(new { query = "Explain the water cycle.", policy = new { costWeight = 0.0, maxCost = 0.0003 } });

        Assert.True(PredictedCost(body) <= 0.0003);
    }

    [Fact]
    public async Task The_current_profile_is_served_with_its_models()
    {
        var profile = await Client.GetFromJsonAsync<JsonElement>("/api/profiles/current");

        Assert.Equal(1, profile.GetProperty("version").GetInt32());
        Assert.Equal(11, profile.GetProperty("models").GetArrayLength());
        Assert.Equal("use-lite-int8", profile.GetProperty("embeddingModelId").GetString());
    }

    [Fact]
    public async Task The_readiness_probe_answers_at_the_root()
    {
        var response = await Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement> RouteAsync(object request)
    {
        using var response = await Client.PostAsJsonAsync("/api/route", request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static JsonElement Chosen(JsonElement body) =>
        body.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("model").GetString() == body.GetProperty("model").GetString());

    private static double PredictedCost(JsonElement body) => Chosen(body).GetProperty("predictedCost").GetDouble();

    private static double PredictedQuality(JsonElement body) => Chosen(body).GetProperty("predictedQuality").GetDouble();
}
