using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RouterFunctions.Local.Tests.Access;

/// <summary>Per-caller rate limits and optional Entra ID tokens guard the callers' API, not the probe or health.</summary>
[Collection(AppCollection.Name)]
public sealed class AccessControlTests(RouterAppFixture fixture)
{
    [Fact]
    public async Task A_caller_over_its_rate_limit_gets_a_429_problem_with_retry_after_while_others_and_health_do_not()
    {
        await using var app = await TestApp.StartAsync(fixture, new() { ["RateLimit:PermitsPerMinute"] = "3" });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await PostRouteAsync(app.Client, key: "caller-a");
            statuses.Add(response.StatusCode);
            if (i == 3)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(response.Headers.RetryAfter is not null, "Retry-After is missing");
            }
        }

        using var other = await PostRouteAsync(app.Client, key: "caller-b");
        using var health = await app.Client.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task With_Entra_ID_configured_the_api_wants_a_bearer_token_but_the_probe_and_health_stay_open()
    {
        await using var app = await TestApp.StartAsync(fixture, new()
        {
            ["Auth:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
            ["Auth:Audience"] = "api://routerfunctions",
        });

        using var route = await PostRouteAsync(app.Client, key: null);
        using var chat = await app.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "router", messages = new[] { new { role = "user", content = "hi" } } });
        using var probe = await app.Client.GetAsync(new Uri("/", UriKind.Relative));
        using var health = await app.Client.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, route.StatusCode);
        Assert.Equal("application/problem+json", route.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, JsonDocument.Parse(await route.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, chat.StatusCode);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static Task<HttpResponseMessage> PostRouteAsync(HttpClient client, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/route") { Content = JsonContent.Create(new { query = "Which planet is largest?" }) };
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        return client.SendAsync(request);
    }
}
