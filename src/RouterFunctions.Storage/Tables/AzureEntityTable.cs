using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace RouterFunctions.Storage.Tables;

/// <summary>An <see cref="IEntityTable"/> over Azure Table Storage (or Azurite). The table is created on first use.</summary>
public sealed class AzureEntityTable : IEntityTable
{
    private readonly TableClient _client;
    private Task? _created;

    public AzureEntityTable(TableServiceClient service, string name)
    {
        ArgumentNullException.ThrowIfNull(service);
        Name = name;
        _client = service.GetTableClient(name);
    }

    public string Name { get; }

    public async Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        var response = await _client.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? ToRow(response.Value!) : null;
    }

    public async IAsyncEnumerable<TableRow> QueryAsync(string? partitionKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        var filter = partitionKey is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        await foreach (var entity in _client.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return ToRow(entity);
        }
    }

    public async Task<string?> WriteAsync(TableAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        TableRules.CheckKeys(action.Row);
        var entity = ToEntity(action.Row);
        await EnsureCreatedAsync();
        try
        {
            Response response = action.Kind switch
            {
                TableWrite.Insert => await _client.AddEntityAsync(entity, cancellationToken),
                TableWrite.Replace => await _client.UpdateEntityAsync(entity, ETagOf(action.Row), TableUpdateMode.Replace, cancellationToken),
                TableWrite.Upsert => await _client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken),
                _ => await _client.DeleteEntityAsync(action.Row.PartitionKey, action.Row.RowKey, ETagOf(action.Row), cancellationToken),
            };
            if (action.Kind == TableWrite.Delete && response.Status == 404)
            {
                // The SDK returns a delete of a missing entity as a 404 response instead of throwing.
                throw new TableWriteException(TableWriteFailure.NotFound, 0, $"{action.Kind} of {Name}({action.Row.PartitionKey}, {action.Row.RowKey}) failed: {TableWriteFailure.NotFound}.");
            }

            action.Row.ETag = action.Kind == TableWrite.Delete ? null : response.Headers.ETag?.ToString();
            return action.Row.ETag;
        }
        catch (RequestFailedException e) when (Failure(e.Status) is { } failure)
        {
            throw new TableWriteException(failure, 0, $"{action.Kind} of {Name}({action.Row.PartitionKey}, {action.Row.RowKey}) failed: {failure}.", e);
        }
    }

    public async Task SubmitAsync(IReadOnlyList<TableAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0)
        {
            return;
        }

        TableRules.CheckTransaction(actions);
        var batch = actions.Select(a => a.Kind switch
        {
            TableWrite.Insert => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(a.Row)),
            TableWrite.Replace => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(a.Row), ETagOf(a.Row)),
            TableWrite.Upsert => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(a.Row)),
            _ => new TableTransactionAction(TableTransactionActionType.Delete, ToEntity(a.Row), ETagOf(a.Row)),
        }).ToList();
        await EnsureCreatedAsync();
        try
        {
            var response = await _client.SubmitTransactionAsync(batch, cancellationToken);
            for (var i = 0; i < actions.Count; i++)
            {
                actions[i].Row.ETag = actions[i].Kind == TableWrite.Delete ? null : response.Value[i].Headers.ETag?.ToString();
            }
        }
        catch (TableTransactionFailedException e) when (Failure(e.Status) is { } failure)
        {
            throw new TableWriteException(failure, e.FailedTransactionActionIndex ?? 0, $"Transaction on {Name}({actions[0].Row.PartitionKey}) failed: {failure}.", e);
        }
    }

    /// <summary>Partition transactions, 8 at a time: each is a round trip, and a batch of decisions spans dozens of partitions.</summary>
    public Task UpsertManyAsync(IReadOnlyCollection<TableRow> rows, CancellationToken cancellationToken) =>
        TableBatches.UpsertByPartitionAsync(this, rows, 8, cancellationToken);

    // Once per table, but not a failure cached for ever: storage may be down at the first call and back later.
    private async Task EnsureCreatedAsync()
    {
        var creating = _created ??= _client.CreateIfNotExistsAsync();
        try
        {
            await creating;
        }
        catch
        {
            _ = Interlocked.CompareExchange(ref _created, null, creating);
            throw;
        }
    }

    private static ETag ETagOf(TableRow row) => row.ETag is { } etag ? new ETag(etag) : ETag.All;

    private static TableWriteFailure? Failure(int status) => status switch
    {
        409 => TableWriteFailure.Conflict,
        412 => TableWriteFailure.Precondition,
        404 => TableWriteFailure.NotFound,
        _ => null,
    };

    private static TableEntity ToEntity(TableRow row)
    {
        var entity = new TableEntity(row.PartitionKey, row.RowKey);
        foreach (var (name, value) in row.Properties)
        {
            if (TableRules.Stored(name, value) is { } stored)
            {
                entity[name] = stored;
            }
        }

        return entity;
    }

    private static TableRow ToRow(TableEntity entity)
    {
        var row = new TableRow(entity.PartitionKey, entity.RowKey) { ETag = entity.ETag.ToString() };
        foreach (var (name, value) in entity)
        {
            if (name is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
            {
                row[name] = value switch
                {
                    int i => (long)i,
                    BinaryData b => b.ToArray(),
                    _ => value,
                };
            }
        }

        return row;
    }
}
