using Azure.Data.Tables;
using RouterFunctions.Storage.Tables;
using RouterFunctions.Testing;

namespace RouterFunctions.Storage.Tests;

/// <summary>
/// One private Azurite per test class (a class fixture), and a fresh table per test: tables get a unique random name,
/// so tests of a class never see each other's rows. Without Azurite installed, tests that ask for a table skip.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private TableServiceClient? _service;

    /// <summary>The process (to stop and start it), or a skip when Azurite is not installed (under CI, <see cref="AzuriteProcess"/> throws instead).</summary>
    public AzuriteProcess Azurite => _azurite ?? Skip<AzuriteProcess>();

    /// <summary>A client shared by the class's tests, or a skip when Azurite is not installed.</summary>
    public TableServiceClient Service => _service ?? Skip<TableServiceClient>();

    public async ValueTask InitializeAsync()
    {
        _azurite = await AzuriteProcess.TryStartAsync();
        if (_azurite is not null)
        {
            _service = NewService(maxRetries: 2);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>A client of its own, with the retries given.</summary>
    public TableServiceClient NewService(int maxRetries) => new(Azurite.ConnectionString, ClientOptions(maxRetries));

    /// <summary>A table no other test uses (created by its first call).</summary>
    public AzureEntityTable NewTable() => new(Service, UniqueTableName());

    public static string UniqueTableName() => "t" + Guid.NewGuid().ToString("N")[..16];

    private static T Skip<T>()
    {
        Assert.Skip("Azurite is not installed (.ci/run installs it into .ci/.tools, or set AZURITE_TABLE_BIN).");
        return default!;
    }

    /// <summary>Like the router's own client (<see cref="EntityTables"/>): few, short retries.</summary>
    public static TableClientOptions ClientOptions(int maxRetries)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return options;
    }
}
