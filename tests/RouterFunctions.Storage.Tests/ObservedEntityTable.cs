using System.Runtime.CompilerServices;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Tests;

/// <summary>
/// A hand-written decorator over a real table: counts the writes refused by the table's rules (by failure and failed
/// index), and can fail chosen writes before they reach the table, as a connection dropped at that moment would.
/// </summary>
internal sealed class ObservedEntityTable(IEntityTable inner) : IEntityTable
{
    private int _preconditions;
    private int _conflictsAtFirst;
    private int _conflictsLater;
    private int _transactions;

    public string Name => inner.Name;

    /// <summary>Called before each write or transaction reaches the table; an exception returned is thrown instead.</summary>
    public Func<IReadOnlyList<TableAction>, Exception?>? FailBefore { get; set; }

    public int Preconditions => Volatile.Read(ref _preconditions);

    /// <summary>Conflicts on the first action of a write or transaction.</summary>
    public int ConflictsAtFirst => Volatile.Read(ref _conflictsAtFirst);

    /// <summary>Conflicts on a later action of a transaction.</summary>
    public int ConflictsLater => Volatile.Read(ref _conflictsLater);

    /// <summary>Transactions (and single writes) that reached the table, successful or not.</summary>
    public int Transactions => Volatile.Read(ref _transactions);

    public Task<TableRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        inner.GetAsync(partitionKey, rowKey, cancellationToken);

    public async IAsyncEnumerable<TableRow> QueryAsync(string? partitionKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in inner.QueryAsync(partitionKey, cancellationToken))
        {
            yield return row;
        }
    }

    public Task<string?> WriteAsync(TableAction action, CancellationToken cancellationToken) =>
        ObserveAsync([action], () => inner.WriteAsync(action, cancellationToken));

    public Task SubmitAsync(IReadOnlyList<TableAction> actions, CancellationToken cancellationToken) =>
        ObserveAsync(actions, async () =>
        {
            await inner.SubmitAsync(actions, cancellationToken);
            return (string?)null;
        });

    private async Task<string?> ObserveAsync(IReadOnlyList<TableAction> actions, Func<Task<string?>> write)
    {
        if (FailBefore?.Invoke(actions) is { } failure)
        {
            throw failure;
        }

        Interlocked.Increment(ref _transactions);
        try
        {
            return await write();
        }
        catch (TableWriteException e)
        {
            switch (e.Failure)
            {
                case TableWriteFailure.Precondition:
                    Interlocked.Increment(ref _preconditions);
                    break;
                case TableWriteFailure.Conflict when e.FailedIndex == 0:
                    Interlocked.Increment(ref _conflictsAtFirst);
                    break;
                case TableWriteFailure.Conflict:
                    Interlocked.Increment(ref _conflictsLater);
                    break;
            }

            throw;
        }
    }
}
