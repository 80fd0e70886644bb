using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace RouterFunctions.Local.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser: the router on a real loopback port (Kestrel, not the in-memory TestServer),
/// a few routed queries and feedback, then headless Chromium renders /dashboard; the DOM must show that data.
/// Skips without /usr/bin/chromium, except under CI (CI=true), which must install it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DashboardBrowserTests(RouterAppFixture fixture)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_dashboard_renders_the_routed_decisions_and_counted_feedback()
    {
        if (!File.Exists(Chromium))
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "CI=true but /usr/bin/chromium is missing: .ci/run installs it");
            Assert.Skip("chromium is not installed");
        }

        using var factory = new RouterAppFactory(new() { ["Router:ProfilePath"] = fixture.ProfilePath });
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        await RouterAppFactory.WaitUntilReadyAsync(client);

        var routed = new List<Routed>();
        foreach (var query in new[] { "What is 17 times 23?", "Write a Python function that reverses a list.", "Which gas do plants absorb from the air?", "Solve x^2 - 5x + 6 = 0." })
        {
            routed.Add(await TestApp.RouteAsync(client, query));
        }

        foreach (var r in routed.Take(3))
        {
            using var response = await client.PostAsJsonAsync("/api/feedback", new { requestId = r.RequestId, score = 1.0 });
            response.EnsureSuccessStatusCode();
        }

        await TestApp.EventuallyAsync(async () => (await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/stats")).GetProperty("feedback").GetProperty("counted").GetDouble() >= 2.999, "3 feedback events counted");

        var dom = await RunChromiumAsync($"--dump-dom {address}/dashboard");
        Assert.Contains("data-loaded=\"true\"", dom, StringComparison.Ordinal);
        Assert.Contains("id=\"decisions-total\">4<", dom, StringComparison.Ordinal);
        Assert.Contains("id=\"feedback-counted\">3<", dom, StringComparison.Ordinal);
        Assert.Contains("id=\"feedback-received\">3<", dom, StringComparison.Ordinal);
        Assert.Contains("id=\"feedback-duplicates\">0<", dom, StringComparison.Ordinal);
        Assert.Contains("receipt→counted mean", dom, StringComparison.Ordinal);
        foreach (var group in routed.GroupBy(r => r.Model))
        {
            Assert.Contains($"<tr data-model=\"{group.Key}\"><td><i", dom, StringComparison.Ordinal);
            Assert.Contains($"{group.Key}</td><td class=\"count\">{group.Count()}</td>", dom, StringComparison.Ordinal);
        }

        Assert.Contains("no retrain yet", dom, StringComparison.Ordinal);
        Assert.Contains("class=\"state-closed\"", dom, StringComparison.Ordinal);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        await RunChromiumAsync($"--screenshot={screenshot} --window-size=1280,900 {address}/dashboard");
        Assert.True(File.Exists(screenshot) && new FileInfo(screenshot).Length > 0, "no screenshot at " + screenshot);
        TestContext.Current.SendDiagnosticMessage("dashboard screenshot: " + screenshot);
        Console.WriteLine("dashboard screenshot: " + screenshot);
    }

    private static async Task<string> RunChromiumAsync(string arguments)
    {
        var profile = Directory.CreateTempSubdirectory("routerfn-chromium-").FullName;
        try
        {
            var info = new ProcessStartInfo(Chromium,
                $"--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir={profile} --virtual-time-budget=5000 {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {await error}");
            return await output;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
