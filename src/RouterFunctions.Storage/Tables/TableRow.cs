namespace RouterFunctions.Storage.Tables;

/// <summary>
/// One entity: keys, properties and the ETag it was read with. Property values are string, long, double, bool,
/// byte[] or DateTimeOffset: the types both table implementations keep exactly.
/// </summary>
public sealed class TableRow
{
    public TableRow(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }

    public string RowKey { get; }

    public Dictionary<string, object?> Properties { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Set by reads and writes; a replace with an ETag succeeds only if the row has not changed since.</summary>
    public string? ETag { get; set; }

    public object? this[string name]
    {
        get => Properties.GetValueOrDefault(name);
        set => Properties[name] = value;
    }

    public string? GetString(string name) => this[name] as string;

    public long GetLong(string name) => this[name] switch
    {
        long l => l,
        int i => i,
        double d => (long)d,
        _ => 0,
    };

    public double GetDouble(string name) => this[name] switch
    {
        double d => d,
        long l => l,
        int i => i,
        _ => 0,
    };

    public bool GetBool(string name) => this[name] is true;

    public byte[]? GetBytes(string name) => this[name] as byte[];

    public DateTimeOffset? GetDate(string name) => this[name] switch
    {
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(d, TimeSpan.Zero),
        _ => null,
    };

    public TableRow Clone() => new(PartitionKey, RowKey) { Properties = new(Properties, StringComparer.Ordinal), ETag = ETag };
}
