using System.Text.Json;

namespace RouterFunctions.Functions.Tests;

/// <summary>
/// What the Functions host will index: the functions.metadata the worker SDK generated when the Functions app was
/// built (copied into this project's output by the project reference; the app's own bin as a fallback).
/// </summary>
public sealed class FunctionsMetadataTests
{
    /// <summary>Function → (route, method) of every HTTP function.</summary>
    private static readonly Dictionary<string, (string Route, string Method)> Http = new(StringComparer.Ordinal)
    {
        ["Route"] = ("route", "post"),
        ["Feedback"] = ("feedback", "post"),
        ["RetrainNow"] = ("retrain", "post"),
        ["Retrains"] = ("retrains", "get"),
        ["Health"] = ("health", "get"),
        ["Profiles"] = ("profiles/current", "get"),
        ["Stats"] = ("stats", "get"),
        ["ChatCompletions"] = ("v1/chat/completions", "post"),
        ["Models"] = ("v1/models", "get"),
        ["Aggregate"] = ("aggregate", "post"),
        ["AggregateStatus"] = ("aggregate/{id}", "get"),
    };

    private static readonly IReadOnlyList<JsonElement> Functions = Load();

    [Fact]
    public void The_app_has_exactly_the_http_functions_and_the_timer()
    {
        Assert.Equal(
            Http.Keys.Append("RetrainTimer").Append("RetentionPurge").Order(StringComparer.Ordinal),
            Functions.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(Functions, f =>
        {
            Assert.Equal("dotnet-isolated", f.GetProperty("language").GetString());
            Assert.Equal("RouterFunctions.Functions.dll", f.GetProperty("scriptFile").GetString());
        });
    }

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void Each_http_function_has_its_route_method_and_auth_level(string name)
    {
        var bindings = Bindings(name);
        var trigger = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "In");
        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(Http[name].Route, trigger.GetProperty("route").GetString());
        Assert.Equal([Http[name].Method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!));
        // Only health is open: probes and dashboards have no key.
        Assert.Equal(name == "Health" ? "Anonymous" : "Function", trigger.GetProperty("authLevel").GetString());

        // The answer is the function's return value, an IResult.
        var output = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "Out");
        Assert.Equal("http", output.GetProperty("type").GetString());
        Assert.Equal("$return", output.GetProperty("name").GetString());
    }

    [Fact]
    public void The_retrain_timer_fires_nightly_at_three()
    {
        var trigger = Assert.Single(Bindings("RetrainTimer"));
        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("0 0 3 * * *", trigger.GetProperty("schedule").GetString());
        Assert.Equal(RetrainFunctions.Schedule, trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void The_retention_purge_runs_hourly()
    {
        var trigger = Assert.Single(Bindings("RetentionPurge"));
        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(RetentionFunctions.Schedule, trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void No_function_of_the_http_app_binds_service_bus()
    {
        // Queues are the workers app's; this app sends through the SDK, not through output bindings.
        Assert.All(Functions.SelectMany(f => f.GetProperty("bindings").EnumerateArray()), b =>
            Assert.DoesNotContain("servicebus", b.GetProperty("type").GetString()!, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void No_function_name_is_also_a_function_of_the_workers_app()
    {
        var workers = Directory.GetDirectories(Path.Combine(RepoRoot(), "src", "RouterFunctions.Workers", "functions"))
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => Path.GetFileName(d)!)
            .ToList();
        Assert.Equal(["AggregateStep", "IngestFeedback", "RetrainProfiles"], workers.Order(StringComparer.Ordinal));
        // Both apps log and report by function name: one name, one function.
        Assert.Empty(Functions.Select(f => f.GetProperty("name").GetString()!).Intersect(workers, StringComparer.OrdinalIgnoreCase));
    }

    public static TheoryData<string> HttpFunctions => [.. Http.Keys];

    private static List<JsonElement> Bindings(string name) =>
        [.. Functions.Single(f => f.GetProperty("name").GetString() == name).GetProperty("bindings").EnumerateArray()];

    private static List<JsonElement> Load()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        var built = Path.Combine(RepoRoot(), "src", "RouterFunctions.Functions", "bin", Configuration(), "net10.0", "functions.metadata");
        var path = File.Exists(copied) ? copied : built;
        Assert.True(File.Exists(path), $"no functions.metadata at {copied} or {built}: build src/RouterFunctions.Functions");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(f => f.Clone())];
    }

    // bin/<Configuration>/net10.0/ of this project.
    private static string Configuration() => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RouterFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("RouterFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
