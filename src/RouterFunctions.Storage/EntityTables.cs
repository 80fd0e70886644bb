using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using RouterFunctions.Storage.Local;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage;

/// <summary>Opens each table once, on the configured backend.</summary>
public sealed class EntityTables : IDisposable
{
    private readonly ConcurrentDictionary<string, IEntityTable> _tables = new(StringComparer.Ordinal);
    private readonly Func<string, IEntityTable> _open;

    /// <param name="credential">Reaches <see cref="StorageOptions.TableServiceUri"/> when there is no connection string.</param>
    public EntityTables(StorageOptions options, string contentRoot, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode == StorageMode.Azure)
        {
            // Short retries: a router answering from its last-known profile beats one waiting on storage.
            var clientOptions = new TableClientOptions();
            clientOptions.Retry.MaxRetries = 2;
            clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(100);
            clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
            var service = options.ConnectionString is { Length: > 0 } connection
                ? new TableServiceClient(connection, clientOptions)
                : new TableServiceClient(options.TableServiceUri, credential ?? throw new ArgumentNullException(nameof(credential), "Storage:TableServiceUri needs a credential."), clientOptions);
            _open = name => new AzureEntityTable(service, options.TablePrefix + name);
        }
        else if (string.IsNullOrWhiteSpace(options.LocalDirectory))
        {
            _open = name => new MemoryEntityTable(options.TablePrefix + name);
        }
        else
        {
            // Opened here, not at the first table: a database held by another process, or damaged, stops the host at start.
            var database = Database = LocalDatabase.Open(Path.Combine(contentRoot, options.LocalDirectory));
            _open = name => new SqliteEntityTable(database, options.TablePrefix + name);
        }
    }

    /// <summary>The local database (local mode with a <see cref="StorageOptions.LocalDirectory"/>); null otherwise.</summary>
    public LocalDatabase? Database { get; }

    public IEntityTable this[string name] => _tables.GetOrAdd(name, _open);

    public void Dispose()
    {
        foreach (var table in _tables.Values.OfType<IDisposable>())
        {
            table.Dispose();
        }

        Database?.Dispose();
    }
}
