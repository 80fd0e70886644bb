using System.Globalization;
using System.IO.Compression;
using System.Text;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Storage.Tables;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// Profiles as immutable rows: partition "v{version}" holds the gzipped JSON in chunks under the 64 KiB property limit,
/// written in one transaction; the row ("current", "pointer") names the current version and is switched with its
/// ETag, so of two concurrent publishers exactly one wins. Loaded profiles are kept by version.
/// </summary>
public sealed class TableProfileStore(IEntityTable table) : IProfileStore
{
    private const int ChunkBytes = 60 * 1024;
    private const string PointerPartition = "current";
    private const string PointerRow = "pointer";
    private RoutingProfile? _cached;

    public async Task<int?> GetCurrentVersionAsync(CancellationToken cancellationToken) =>
        await table.GetAsync(PointerPartition, PointerRow, cancellationToken) is { } pointer ? (int)pointer.GetLong("Version") : null;

    public async Task<RoutingProfile?> GetCurrentAsync(CancellationToken cancellationToken)
    {
        if (await GetCurrentVersionAsync(cancellationToken) is not { } version)
        {
            return null;
        }

        if (_cached?.Version == version)
        {
            return _cached;
        }

        var chunks = new List<byte[]>();
        await foreach (var row in table.QueryAsync(Partition(version), cancellationToken))
        {
            chunks.Add(row.GetBytes("Data") ?? []);
        }

        using var compressed = new MemoryStream([.. chunks.SelectMany(c => c)]);
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return _cached = ProfileJson.Deserialize(await reader.ReadToEndAsync(cancellationToken));
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

        try
        {
            await table.SubmitAsync(Chunks(profile), cancellationToken);
        }
        catch (TableWriteException e) when (e.Failure == TableWriteFailure.Conflict)
        {
            return false; // another publisher already wrote this version number
        }

        var next = new TableRow(PointerPartition, PointerRow) { ["Version"] = (long)profile.Version, ETag = pointer?.ETag };
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

    private static List<TableAction> Chunks(RoutingProfile profile)
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

        return [.. Enumerable.Range(0, count).Select(i => new TableAction(TableWrite.Insert, new TableRow(Partition(profile.Version), i.ToString("D4", CultureInfo.InvariantCulture))
        {
            ["Data"] = bytes.AsSpan(i * ChunkBytes, Math.Min(ChunkBytes, bytes.Length - (i * ChunkBytes))).ToArray(),
        }))];
    }
}
