using System.Net;
using System.Text;
using System.Text.Json;

namespace RouterFunctions.Handler.Tests;

/// <summary>The Functions host finds our functions through function.json and host.json: each must match a handler route.</summary>
[Collection(AppCollection.Name)]
public sealed class FunctionsLayoutTests(RouterAppFixture app)
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> FunctionFolders => [.. Directory.GetDirectories(Path.Combine(Root, "functions")).Select(d => Path.GetFileName(d)!)];

    [Theory]
    [MemberData(nameof(FunctionFolders))]
    public async Task Every_http_function_maps_to_a_handler_route(string function)
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "functions", function, "function.json")));
        var trigger = document.RootElement.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal("function", trigger.GetProperty("authLevel").GetString());
        var route = trigger.GetProperty("route").GetString();

        foreach (var method in trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/{route}");
            if (method == "POST")
            {
                request.Content = new StringContent("""{"query":"hello"}""", Encoding.UTF8, "application/json");
            }

            using var response = await app.Client.SendAsync(request);
            Assert.True(
                response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed),
                $"{function}: {method} /api/{route} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public void Host_json_starts_the_handler_executable_with_the_api_prefix()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "host.json")));

        var executable = host.RootElement.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString();
        Assert.Equal(typeof(Program).Assembly.GetName().Name, executable);
        Assert.Equal("api", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.True(host.RootElement.GetProperty("customHandler").GetProperty("enableForwardingHttpRequest").GetBoolean());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RouterFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RouterFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
