using System.IO.Hashing;
using System.Text;

namespace RouterFunctions.Storage.Stores;

/// <summary>
/// How a store instance spreads its statistics writes: <see cref="Count"/> aggregate rows per cell partition, and the
/// one this instance writes first (<see cref="Home"/>, from a hash of its identity so that instances rarely share one).
/// </summary>
public sealed record StatsShards
{
    /// <summary>The most shards a partition may have (one bit each in a 64-bit mask).</summary>
    public const int Max = 64;

    public StatsShards(int count, string identity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Max);
        ArgumentNullException.ThrowIfNull(identity);
        Count = count;
        Identity = identity;
        Seed = (int)XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(identity));
        Home = (int)((uint)Seed % (uint)count);
    }

    /// <summary>A single aggregate row per cell: the layout before sharding (its row is shard 0 of any count).</summary>
    public static StatsShards OneRow { get; } = new(1, "");

    public int Count { get; }

    public string Identity { get; }

    public int Home { get; }

    /// <summary>Seeds the instance's choice of another shard after a collision (the same for a restart of the same identity).</summary>
    internal int Seed { get; }

    /// <summary>
    /// This process among the router's instances: the App Service / Functions instance (or the machine) and the
    /// process, since one instance may run several worker processes.
    /// </summary>
    public static string ProcessIdentity(string? instanceId) =>
        $"{(string.IsNullOrEmpty(instanceId) ? Environment.MachineName : instanceId)}/{Environment.ProcessId}";
}
