using System.Net;
using System.Text;
using System.Text.Json;

namespace RouterFunctions.Local.Tests;

/// <summary>The Functions host finds our functions through function.json and host.json: each must match a handler route.</summary>
[Collection(AppCollection.Name)]
public sealed class FunctionsLayoutTests(RouterAppFixture app)
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> FunctionFolders => [.. Directory.GetDirectories(Path.Combine(Root, "functions")).Select(d => Path.GetFileName(d)!)];

    [Theory]
    [MemberData(nameof(FunctionFolders))]
    public async Task Every_function_maps_to_a_handler_route(string function)
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "functions", function, "function.json")));
        var bindings = document.RootElement.GetProperty("bindings").EnumerateArray().ToList();
        var trigger = bindings.Single(b => b.GetProperty("direction").GetString() == "in");
        var forwarded = trigger.GetProperty("type").GetString() == "httpTrigger" && bindings.Count == 2
            && bindings.Any(b => b.GetProperty("type").GetString() == "http");

        if (forwarded)
        {
            // Exactly one httpTrigger and one http output: the host forwards the original request to /api/<route>.
            Assert.Equal("function", trigger.GetProperty("authLevel").GetString());
            // Route parameters get a sample value; an endpoint may then answer 404 for it, but as a problem, not "no route".
            var route = System.Text.RegularExpressions.Regex.Replace(trigger.GetProperty("route").GetString()!, "{[^}]+}", "sample");
            foreach (var method in trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()))
            {
                await AssertRoutedAsync(function, new HttpMethod(method), $"/api/{route}", """{"query":"hello"}""");
            }
        }
        else
        {
            // Anything else: the host posts its invocation payload to /<FunctionName>.
            if (trigger.GetProperty("type").GetString() == "httpTrigger")
            {
                Assert.Equal("function", trigger.GetProperty("authLevel").GetString());
            }

            await AssertRoutedAsync(function, HttpMethod.Post, $"/{function}", """{"Data":{},"Metadata":{}}""");
        }
    }

    [Fact]
    public void Every_queue_binding_uses_the_identity_based_connection_and_a_known_queue()
    {
        var queues = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "functions"), "function.json", SearchOption.AllDirectories))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var binding in document.RootElement.GetProperty("bindings").EnumerateArray())
            {
                if (binding.GetProperty("type").GetString()!.StartsWith("serviceBus", StringComparison.Ordinal))
                {
                    Assert.Equal("ServiceBusConnection", binding.GetProperty("connection").GetString());
                    queues.Add(binding.GetProperty("queueName").GetString()!);
                }
            }
        }

        Assert.Equal(["aggregate-calls", "feedback", "retrain"], queues.Order());
    }

    private async Task AssertRoutedAsync(string function, HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await app.Client.SendAsync(request);
        var routed = response.StatusCode switch
        {
            HttpStatusCode.MethodNotAllowed => false,
            HttpStatusCode.NotFound => response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                && (await response.Content.ReadAsStringAsync()).Contains("sample", StringComparison.Ordinal),
            _ => true,
        };
        Assert.True(routed, $"{function}: {method} {path} answered {(int)response.StatusCode}");
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
