using System.Globalization;
using System.IO.Compression;
using System.Text;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// Profiles as immutable rows: each publish writes the gzipped JSON in chunks under the 64 KiB property limit, in one
/// transaction, to a partition of its own ("v{version}-{random}"); the row ("current", "pointer") names the current
/// version and its partition and is switched with its ETag, so of two concurrent publishers exactly one wins. A
/// publish cut off before the switch leaves only unreferenced chunks, and can be retried. The loaded profile is kept.
/// </summary>
public sealed class TableProfileStore(IEntityTable table) : IProfileStore
{
    private const int ChunkBytes = 60 * 1024;
    private const string PointerPartition = "current";
    private const string PointerRow = "pointer";
    private Loaded? _cached;

    public async Task<int?> GetCurrentVersionAsync(CancellationToken cancellationToken) =>
        await table.GetAsync(PointerPartition, PointerRow, cancellationToken) is { } pointer ? (int)pointer.GetLong("Version") : null;

    public async Task<RoutingProfile?> GetCurrentAsync(CancellationToken cancellationToken)
    {
        if (await table.GetAsync(PointerPartition, PointerRow, cancellationToken) is not { } pointer)
        {
            return null;
        }

        // Pointers written before chunk partitions were unique name none: their chunks are in "v{version}".
        var partition = pointer.GetString("Partition") ?? Partition((int)pointer.GetLong("Version"));
        if (_cached is { } cached && cached.Partition == partition)
        {
            return cached.Profile;
        }

        var chunks = new List<byte[]>();
        await foreach (var row in table.QueryAsync(partition, cancellationToken))
        {
            chunks.Add(row.GetBytes("Data") ?? []);
        }

        using var compressed = new MemoryStream([.. chunks.SelectMany(c => c)]);
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var profile = ProfileJson.Deserialize(await reader.ReadToEndAsync(cancellationToken));
        _cached = new Loaded(partition, profile);
        return profile;
    }

    public async Task<bool> TryPublishAsync(RoutingProfile profile, int? expectedCurrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var pointer = await table.GetAsync(PointerPartition, PointerRow, cancellationToken);
        var current = pointer is null ? (int?)null : (int)pointer.GetLong("Version");
        if (current != expectedCurrent)
        {
            return false;
        }

        // A partition of this attempt's own: chunks left by a publisher that lost the race, or was cut off before
        // switching the pointer, are never in the way of the next attempt.
        var partition = Partition(profile.Version) + "-" + Guid.NewGuid().ToString("N")[..12];
        await table.SubmitAsync(Chunks(profile, partition), cancellationToken);
        var next = new TableRow(PointerPartition, PointerRow) { ["Version"] = (long)profile.Version, ["Partition"] = partition, ETag = pointer?.ETag };
        try
        {
            await table.WriteAsync(new TableAction(pointer is null ? TableWrite.Insert : TableWrite.Replace, next), cancellationToken);
            return true;
        }
        catch (TableWriteException e) when (e.Failure is TableWriteFailure.Conflict or TableWriteFailure.Precondition)
        {
            return false;
        }
    }

    private static string Partition(int version) => "v" + version.ToString("D8", CultureInfo.InvariantCulture);

    private static List<TableAction> Chunks(RoutingProfile profile, string partition)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(ProfileJson.Serialize(profile)));
        }

        var bytes = compressed.ToArray();
        var count = (bytes.Length + ChunkBytes - 1) / ChunkBytes;
        if (count > 100)
        {
            throw new InvalidOperationException($"Profile v{profile.Version} is {bytes.Length} bytes compressed; at most {100 * ChunkBytes} fit one transaction.");
        }

        return [.. Enumerable.Range(0, count).Select(i => new TableAction(TableWrite.Insert, new TableRow(partition, i.ToString("D4", CultureInfo.InvariantCulture))
        {
            ["Data"] = bytes.AsSpan(i * ChunkBytes, Math.Min(ChunkBytes, bytes.Length - (i * ChunkBytes))).ToArray(),
        }))];
    }

    private sealed record Loaded(string Partition, RoutingProfile Profile);
}
