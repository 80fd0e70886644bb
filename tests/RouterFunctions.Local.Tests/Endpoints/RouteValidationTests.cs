using System.Net;
using System.Text;
using System.Text.Json;

namespace RouterFunctions.Local.Tests.Endpoints;

/// <summary>Every client mistake is a 400 (or 413) ProblemDetails naming what to fix, never a 5xx.</summary>
[Collection(AppCollection.Name)]
public sealed class RouteValidationTests(RouterAppFixture app)
{
    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"query": ""}""", "query" },
        { """{"query": "   \n\t "}""", "query" },
        { """{}""", "query" },
        { """{"query": null}""", "query" },
        { """{"query": 5}""", "query" },
        { """{"query": ["a"]}""", "query" },
        { """{"query": "x",""", "body" },
        { """not json""", "body" },
        { "", "body" },
        { "null", "body" },
        { "[1,2]", "body" },
        { """{"query": "x", "policy": {"costWeight": 2}}""", "policy.costWeight" },
        { """{"query": "x", "policy": {"costWeight": -0.1}}""", "policy.costWeight" },
        { """{"query": "x", "policy": {"costWeight": "high"}}""", "policy.costWeight" },
        { """{"query": "x", "policy": {"qualityBand": 1.5}}""", "policy.qualityBand" },
        { """{"query": "x", "policy": {"maxCost": 0}}""", "policy.maxCost" },
        { """{"query": "x", "policy": {"maxCost": -1}}""", "policy.maxCost" },
        { """{"query": "x", "policy": 7}""", "policy" },
        { """{"query": "x", "allowedModels": ["gpt-5-ultra"]}""", "allowedModels" },
        { """{"query": "x", "allowedModels": []}""", "allowedModels" },
        { """{"query": "x", "allowedModels": [""]}""", "allowedModels" },
        { """{"query": "x", "allowedModels": "gpt-4-1106-preview"}""", "allowedModels" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_malformed_request_is_a_400_problem_naming_the_field(string body, string field)
    {
        var problem = await PostAsync(body, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task A_query_over_32_KiB_is_rejected()
    {
        var body = JsonSerializer.Serialize(new { query = new string('a', (32 * 1024) + 1) });

        var problem = await PostAsync(body, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("query", out _));
    }

    [Fact]
    public async Task A_query_of_exactly_32_KiB_is_accepted()
    {
        var body = JsonSerializer.Serialize(new { query = new string('a', 32 * 1024) });

        using var response = await app.Client.PostAsync(new Uri("/api/route", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_a_413_problem()
    {
        var body = JsonSerializer.Serialize(new { query = new string('a', (1 << 20) + 10) });

        var problem = await PostAsync(body, HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(413, problem.GetProperty("status").GetInt32());
    }

    private async Task<JsonElement> PostAsync(string body, HttpStatusCode expected)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Client.PostAsync(new Uri("/api/route", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
