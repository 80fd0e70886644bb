using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RouterFunctions.Testing;

/// <summary>
/// An Azurite Table service of the test's own, on a free loopback port, with its data in a temp folder so that
/// <see cref="StopAsync"/> then <see cref="StartAsync"/> is an outage, not a wipe. The binary comes from
/// AZURITE_TABLE_BIN, .ci/.tools (where .ci/run installs it) or PATH.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    // Azurite's well-known development account (public, documented; not a secret).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly string _binary;
    private readonly string _location = Directory.CreateTempSubdirectory("azurite-").FullName;
    private Process? _process;

    private AzuriteProcess(string binary)
    {
        _binary = binary;
        Port = FreePort();
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <summary>Starts one, or returns null when Azurite is not installed (tests then skip, except under CI).</summary>
    public static async Task<AzuriteProcess?> TryStartAsync()
    {
        if (FindBinary() is not { } binary)
        {
            return Environment.GetEnvironmentVariable("CI") == "true"
                ? throw new InvalidOperationException("Azurite is not installed; .ci/run installs it into .ci/.tools.")
                : null;
        }

        var azurite = new AzuriteProcess(binary);
        await azurite.StartAsync();
        return azurite;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(_binary)
        {
            ArgumentList = { "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _location, "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_binary}.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await IsListeningAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Azurite did not start on port {Port}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Freezes the process (SIGSTOP): connections are still accepted by the kernel, nothing answers — a hung service.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Thaws a paused process (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("Azurite is not running.");
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {process.Id}") { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindBinary()
    {
        if (Environment.GetEnvironmentVariable("AZURITE_TABLE_BIN") is { Length: > 0 } configured && File.Exists(configured))
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".ci", ".tools", "node_modules", ".bin", "azurite-table");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(p => Path.Combine(p, "azurite-table")).FirstOrDefault(File.Exists);
    }

    private async Task<bool> IsListeningAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
