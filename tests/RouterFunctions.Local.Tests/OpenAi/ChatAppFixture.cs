using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RouterFunctions.Application;
using RouterFunctions.Chat;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Messaging.Local;

namespace RouterFunctions.Local.Tests.OpenAi;

/// <summary>
/// One app per test class whose every model of the routing profile is configured (section "Models", OpenAI-compatible
/// at http://backend.test/v1) and answered by one <see cref="ScriptedBackend"/>. The test classes reset the backend
/// in their constructor; tests of a collection run one at a time, so that is all the isolation they need.
/// </summary>
public sealed class ChatAppFixture(RouterAppFixture fixture) : IAsyncLifetime
{
    /// <summary>Routing reads this many user turns (not the default 3, to show the setting is honoured).</summary>
    public const int RoutingUserTurns = 2;

    private HttpClient? _backendClient;

    public ScriptedBackend Backend { get; } = new();

    public TestApp App { get; private set; } = null!;

    public HttpClient Client => App.Client;

    /// <summary>The routing profile's models, all configured.</summary>
    public IReadOnlyList<string> Models { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var profile = fixture.Factory.Services.GetRequiredService<ProfileHolder>().Current?.Profile
            ?? throw new InvalidOperationException("the fixture's app has no profile");
        Models = [.. profile.Models.Select(m => m.Name)];
        var settings = new Dictionary<string, string?>
        {
            ["Router:ChatRoutingUserTurns"] = RoutingUserTurns.ToString(CultureInfo.InvariantCulture),
            // Failover feedback must not retrain the profile under the tests' feet.
            ["Feedback:RetrainAfterEvents"] = "1000000",
            ["Feedback:DriftMinCount"] = "1000000",
        };
        foreach (var (key, value) in ScriptedBackend.ModelSettings(profile.Models))
        {
            settings[key] = value;
        }

        _backendClient = new HttpClient(Backend, disposeHandler: false);
        var backendClient = _backendClient;
        App = await TestApp.StartAsync(
            fixture,
            settings,
            services: s => s.AddSingleton(sp => new ChatBackends(sp.GetRequiredService<IOptions<ChatModelsOptions>>().Value.Models, backendClient)));
        Assert.Equal(Models.Order(StringComparer.Ordinal), App.Get<ChatBackends>().Clients.Keys.Order(StringComparer.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        _backendClient?.Dispose();
        Backend.Dispose();
    }

    /// <summary>A chat request body: one user message.</summary>
    public static object Ask(string model, string question, bool stream = false) =>
        new { model, messages = new[] { new { role = "user", content = question } }, stream };

    public Task<ChatCall> PostAsync(object body) => PostRawAsync(JsonSerializer.Serialize(body));

    public async Task<ChatCall> PostRawAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), content);
        return await ChatCall.ReadAsync(response);
    }

    /// <summary>
    /// The models in the order a routed chat request with this single user message tries them, as POST /api/route
    /// ranks them for the same text and cost weight: the decision's model first, then the candidates by utility.
    /// </summary>
    public async Task<IReadOnlyList<RankedModel>> RankingAsync(string query, double costWeight = 0.25)
    {
        using var response = await Client.PostAsJsonAsync("/api/route", new { query, policy = new { costWeight } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"route: {(int)response.StatusCode} {text}");
        var body = JsonDocument.Parse(text).RootElement;
        var candidates = body.GetProperty("candidates").EnumerateArray()
            .Select(c => new RankedModel(c.GetProperty("model").GetString()!, c.GetProperty("predictedQuality").GetDouble(), c.GetProperty("predictedCost").GetDouble()))
            .ToList();
        var chosen = body.GetProperty("model").GetString()!;
        return [.. candidates.Where(c => c.Model == chosen).Concat(candidates.Where(c => c.Model != chosen))];
    }

    /// <summary>The feedback stored for a request once the in-process feedback queue has settled everything sent so far.</summary>
    public async Task<List<FeedbackEvent>> FeedbackForAsync(string requestId)
    {
        var queue = App.Get<LocalQueues>().Feedback;
        await TestApp.EventuallyAsync(() => Task.FromResult(queue.Pending == 0), "the feedback queue to drain");
        Assert.Empty(queue.DeadLetters);
        Assert.Empty(await App.ParkedAsync());
        return [.. (await App.StoredFeedbackAsync()).Where(e => e.RequestId == requestId)];
    }

    /// <summary>What routing embedded for a request: the vector its decision record keeps.</summary>
    public async Task<float[]> RoutedEmbeddingAsync(string requestId) =>
        (await App.Get<IDecisionLog>().GetAsync(requestId, CancellationToken.None))?.Embedding
        ?? throw new InvalidOperationException($"no decision recorded for {requestId}");

    public async Task<float[]> EmbedAsync(string text) =>
        (await App.Get<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync([text]))[0].Vector.ToArray();
}

/// <summary>A model as routing ranks it for one query.</summary>
public sealed record RankedModel(string Model, double PredictedQuality, double PredictedCost);

/// <summary>An answer of /v1/chat/completions: status, headers, body text and, for JSON, the parsed body.</summary>
public sealed record ChatCall(HttpStatusCode Status, string? MediaType, IReadOnlyDictionary<string, string> Headers, string Text)
{
    public JsonElement Json => JsonDocument.Parse(Text).RootElement;

    /// <summary>The model field of the completion.</summary>
    public string Model => Json.GetProperty("model").GetString()!;

    public string Content => Json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public IEnumerable<string> RouterHeaders => Headers.Keys.Where(k => k.StartsWith("x-router-", StringComparison.OrdinalIgnoreCase));

    /// <summary>The payloads of the SSE "data:" lines, in order ("[DONE]" included).</summary>
    public IReadOnlyList<string> Events =>
        [.. Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e =>
        {
            Assert.StartsWith("data: ", e, StringComparison.Ordinal);
            return e["data: ".Length..];
        })];

    /// <summary>The chunks of a stream: every event but the final [DONE], parsed.</summary>
    public IReadOnlyList<JsonElement> Chunks
    {
        get
        {
            var events = Events;
            Assert.Equal("[DONE]", events[^1]);
            return [.. events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement)];
        }
    }

    /// <summary>The concatenated delta contents of a stream.</summary>
    public string StreamedText => string.Concat(Chunks
        .SelectMany(c => c.GetProperty("choices").EnumerateArray())
        .Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : ""));

    public void AssertOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"{(int)Status}: {Text}");
    }

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/>; returns its body.</summary>
    public JsonElement AssertProblem(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Text}");
        Assert.Equal("application/problem+json", MediaType);
        var body = Json;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }

    /// <summary>Asserts a 400 ValidationProblem whose errors name <paramref name="field"/>.</summary>
    public void AssertInvalid(string field)
    {
        var body = AssertProblem(HttpStatusCode.BadRequest);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors should name '{field}': {Text}");
    }

    public static async Task<ChatCall> ReadAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ChatCall(response.StatusCode, response.Content.Headers.ContentType?.MediaType, headers, await response.Content.ReadAsStringAsync());
    }
}
