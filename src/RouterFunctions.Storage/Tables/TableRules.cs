using System.Globalization;

namespace RouterFunctions.Storage.Tables;

/// <summary>
/// Table Storage's rules for a write, checked before anything is sent or applied, so that both tables refuse the same
/// writes the same way (and the embedded table does not accept what Azure would reject).
/// </summary>
internal static class TableRules
{
    public const int MaxTransactionActions = 100;

    /// <summary>At most 100 actions, one partition, each row once.</summary>
    public static void CheckTransaction(IReadOnlyList<TableAction> actions)
    {
        if (actions.Count > MaxTransactionActions || actions.Any(a => a.Row.PartitionKey != actions[0].Row.PartitionKey))
        {
            throw new ArgumentException("A transaction holds at most 100 actions on one partition.", nameof(actions));
        }

        if (actions.Select(a => a.Row.RowKey).Distinct(StringComparer.Ordinal).Count() != actions.Count)
        {
            throw new ArgumentException("A transaction names each row at most once.", nameof(actions));
        }

        foreach (var action in actions)
        {
            CheckKeys(action.Row);
        }
    }

    /// <summary>Keys may not hold '/', '\', '#', '?' or control characters.</summary>
    public static void CheckKeys(TableRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        foreach (var key in (ReadOnlySpan<string>)[row.PartitionKey, row.RowKey])
        {
            if (key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
            {
                throw new ArgumentException($"Key '{key}' holds a character Table Storage does not allow in keys ('/', '\\', '#', '?' or a control character).", nameof(row));
            }
        }
    }

    /// <summary>
    /// A property value as both tables keep it: string, long, double, bool, byte[] or DateTimeOffset (in UTC, as
    /// Table Storage returns it); an int is widened to long. Other types are refused.
    /// </summary>
    public static object? Stored(string name, object? value) => value switch
    {
        null or string or long or double or bool or byte[] => value,
        int i => (long)i,
        DateTimeOffset t => t.ToUniversalTime(),
        _ => throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Property '{name}' is a {value.GetType()}, which is not stored: use string, long, double, bool, byte[] or DateTimeOffset.")),
    };
}
