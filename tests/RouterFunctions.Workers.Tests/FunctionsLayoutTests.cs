using System.Net;
using System.Text.Json;
using RouterFunctions.Messaging;
using RouterFunctions.Workers.Functions;

namespace RouterFunctions.Workers.Tests;

/// <summary>
/// The Functions host finds the consumers through src/RouterFunctions.Workers' host.json and functions/*/function.json:
/// each function must be a Service Bus consumer the app answers at POST /{FunctionName}, on a queue of QueueNames.
/// </summary>
[Collection(WorkersCollection.Name)]
public sealed class FunctionsLayoutTests(WorkersFixture fixture)
{
    private static readonly string Root = FindRoot();

    private static readonly Dictionary<string, string> QueueOf = new(StringComparer.Ordinal)
    {
        [FunctionNames.IngestFeedback] = QueueNames.Feedback,
        [FunctionNames.RetrainProfiles] = QueueNames.Retrain,
        [FunctionNames.AggregateStep] = QueueNames.AggregateCalls,
    };

    public static TheoryData<string> FunctionFolders => [.. Directory.GetDirectories(Path.Combine(Root, "functions")).Select(d => Path.GetFileName(d)!)];

    [Fact]
    public void The_function_folders_are_the_consumers_the_app_knows()
    {
        Assert.Equal(FunctionNames.All.Order(StringComparer.Ordinal), FunctionFolders.Select(f => f.Data).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(FunctionFolders))]
    public async Task Every_function_binds_only_a_service_bus_trigger_named_msg_on_its_queue(string function)
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "functions", function, "function.json")));

        // No output bindings and no http functions: follow-ups go out through the SDK; HTTP is the isolated app's.
        var trigger = Assert.Single(document.RootElement.GetProperty("bindings").EnumerateArray());
        Assert.Equal("serviceBusTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("in", trigger.GetProperty("direction").GetString());
        Assert.Equal(FunctionNames.QueueTrigger, trigger.GetProperty("name").GetString());
        Assert.Equal("ServiceBusConnection", trigger.GetProperty("connection").GetString());
        Assert.Equal(ServiceBusOptions.SectionName, trigger.GetProperty("connection").GetString());
        Assert.Equal(QueueOf[function], trigger.GetProperty("queueName").GetString());
    }

    [Fact]
    public void The_queues_bound_are_the_queues_the_application_sends_to()
    {
        var queues = Directory.GetFiles(Path.Combine(Root, "functions"), "function.json", SearchOption.AllDirectories)
            .SelectMany(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("bindings").EnumerateArray())
            .Select(b => b.GetProperty("queueName").GetString()!);

        Assert.Equal(QueueNames.All.Order(StringComparer.Ordinal), queues.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(FunctionFolders))]
    public async Task Every_function_is_answered_at_POST_slash_its_name(string function)
    {
        // An invocation without the trigger's data is the app's 400, not the router's 404 or 405.
        var result = await fixture.App.PostAsync(function, """{"Data":{},"Metadata":{}}""");

        Assert.True(result.Status == HttpStatusCode.BadRequest, $"{function}: {(int)result.Status} {result.Text}");
        Assert.True(result.Body.GetProperty("errors").TryGetProperty("Data", out _), result.Text);
    }

    [Fact]
    public void Host_json_starts_the_workers_executable_without_forwarding_http()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "host.json")));
        var handler = host.RootElement.GetProperty("customHandler");

        Assert.Equal("RouterFunctions.Workers", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.Equal(typeof(Program).Assembly.GetName().Name, handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.False(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.False(host.RootElement.GetProperty("extensions").TryGetProperty("http", out _));
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host.RootElement.GetProperty("extensionBundle").GetProperty("id").GetString());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RouterFunctions.sln")))
            {
                return Path.Combine(dir.FullName, "src", "RouterFunctions.Workers");
            }
        }

        throw new InvalidOperationException("RouterFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
