using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RouterFunctions.Workers.Tests;

/// <summary>What the host needs of the handler process besides the invocations.</summary>
[Collection(WorkersCollection.Name)]
public sealed class WorkersAppTests(WorkersFixture fixture)
{
    [Fact]
    public async Task GET_slash_answers_200_for_the_hosts_readiness_probe()
    {
        using var response = await fixture.App.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("up", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("Feedback")]
    [InlineData("RetrainTimer")]
    [InlineData("Aggregate")]
    public async Task The_http_and_timer_functions_are_not_here(string function)
    {
        // They are the isolated Functions app's: an invocation of them here would mean a stale function.json.
        var result = await fixture.App.PostAsync(function, """{"Data":{},"Metadata":{}}""");

        Assert.Equal(HttpStatusCode.NotFound, result.Status);
    }
}
