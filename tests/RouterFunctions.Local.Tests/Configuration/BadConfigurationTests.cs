using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace RouterFunctions.Local.Tests.Configuration;

/// <summary>
/// Bad configuration of the local router, as a user starts it: the process ends at once with exit code 2 and one line
/// on stderr, <c>error: Setting = 'value': what is wrong; the fix</c>, and no stack trace anywhere. Relative paths
/// resolve against the working directory (where the user stands).
/// </summary>
public sealed class BadConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-config-").FullName;

    [Fact]
    public async Task A_model_directory_that_does_not_exist_names_the_setting_and_how_to_get_the_model()
    {
        var run = await RunAsync("--Embedding:ModelDirectory", "/nope");

        var line = AssertOneConfigurationError(run, "Embedding:ModelDirectory = '/nope': no such folder; ");
        Assert.Contains("models/download.sh", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_model_directory_is_looked_for_in_the_working_directory()
    {
        var run = await RunAsync("--Embedding:ModelDirectory", Path.Combine("models", "use"));

        AssertOneConfigurationError(run, $"Embedding:ModelDirectory = '{Path.Combine(_directory, "models", "use")}': no such folder; ");
    }

    [Fact]
    public async Task A_storage_mode_that_is_no_mode_lists_the_modes()
    {
        var run = await RunAsync("--Storage:Mode=Azur");

        Assert.Equal("error: Storage:Mode = 'Azur': not a valid StorageMode; use one of: Local, Azure", AssertOneConfigurationError(run, "Storage:Mode = 'Azur'"));
    }

    [Fact]
    public async Task Azure_storage_without_an_account_names_the_settings_to_add()
    {
        var run = await RunAsync("--Storage:Mode=Azure");

        var line = AssertOneConfigurationError(run, "Storage:Mode = 'Azure': needs Storage:TableServiceUri");
        Assert.Contains("Storage:ConnectionString", line, StringComparison.Ordinal);
        Assert.Contains("Storage:Mode=Local", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Training_data_that_is_not_there_stops_the_start_instead_of_leaving_it_starting()
    {
        // The store is in memory and empty, so this start would have to train from the file.
        var run = await RunAsync("--Router:TrainingDataPath", "queries.jsonl");

        AssertOneConfigurationError(run, $"Router:TrainingDataPath = '{Path.Combine(_directory, "queries.jsonl")}': no such file; ");
    }

    [Fact]
    public async Task A_profile_file_that_is_not_there_is_a_configuration_error_not_a_storage_outage()
    {
        var run = await RunAsync("--Router:ProfilePath", Path.Combine("out", "profile.json"));

        var line = AssertOneConfigurationError(run, $"Router:ProfilePath = '{Path.Combine(_directory, "out", "profile.json")}': no such file; ");
        Assert.Contains("routerfn train", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_file_that_is_not_there_is_named_as_resolved_from_the_working_directory()
    {
        var run = await RunAsync("--Config", Path.Combine("config", "missing.json"));

        AssertOneConfigurationError(run, $"Config = '{Path.Combine(_directory, "config", "missing.json")}': no such file; ");
    }

    [Fact]
    public async Task A_relative_config_file_is_read_from_the_working_directory()
    {
        File.WriteAllText(Path.Combine(_directory, "mine.json"), """{ "Router": { "Seed": "many" } }""");

        var run = await RunAsync("--Config", "mine.json");

        Assert.Equal("error: Router:Seed = 'many': not a valid Int32; use a whole number", AssertOneConfigurationError(run, "Router:Seed = 'many'"));
    }

    [Fact]
    public async Task A_config_file_that_is_not_json_says_so()
    {
        File.WriteAllText(Path.Combine(_directory, "broken.json"), """{ "Router": """);

        var run = await RunAsync("--Config", "broken.json");

        AssertOneConfigurationError(run, $"Config = '{Path.Combine(_directory, "broken.json")}': not valid JSON settings: ");
    }

    [Fact]
    public async Task An_out_of_range_setting_names_the_range()
    {
        var run = await RunAsync("--Router:DefaultCostWeight=2");

        Assert.Equal("error: Router:DefaultCostWeight = '2': out of range; use a value from 0 to 1", AssertOneConfigurationError(run, "Router:DefaultCostWeight"));
    }

    [Fact]
    public async Task Good_configuration_passes_the_guard_and_the_router_serves()
    {
        // A profile file that exists (start-up checks only that) but holds no profile: the router starts and says why
        // it has none, without training, so the test stays quick.
        File.WriteAllText(Path.Combine(_directory, "profile.json"), "{}");
        using var process = LocalRouterProcess.Start(_directory, ["--Router:ProfilePath", "profile.json"]);
        try
        {
            var address = await ListeningAddressAsync(process);
            using var client = new HttpClient { BaseAddress = new Uri(address) };

            var health = await client.GetFromJsonAsync<JsonElement>("/api/health", TestContext.Current.CancellationToken);

            Assert.False(process.HasExited);
            Assert.Equal("starting", health.GetProperty("status").GetString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task<ProcessRun> RunAsync(params string[] args) => LocalRouterProcess.RunAsync(_directory, args);

    /// <summary>Exit code 2, exactly one line on stderr starting with <c>error: </c> and <paramref name="start"/>, no stack frame on either stream.</summary>
    private static string AssertOneConfigurationError(ProcessRun run, string start)
    {
        var all = string.Join('\n', run.Stderr.Concat(run.Stdout));
        Assert.True(run.ExitCode == 2, $"exit code {run.ExitCode}: {all}");
        var line = Assert.Single(run.Stderr);
        Assert.StartsWith("error: " + start, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", all, StringComparison.Ordinal);
        return line;
    }

    private static async Task<string> ListeningAddressAsync(Process process)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        const string marker = "Now listening on: ";
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim();
            }
        }

        Assert.Fail($"the local router exited with {await ExitCodeAsync(process)} before listening: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
        return "";
    }

    private static async Task<int> ExitCodeAsync(Process process)
    {
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
