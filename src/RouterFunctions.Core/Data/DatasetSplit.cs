using System.IO.Hashing;
using System.Text;

namespace RouterFunctions.Core.Data;

/// <summary>Assigns rows without a split field to train or test by a hash of their id: stable across runs and machines.</summary>
public static class DatasetSplit
{
    public const string Train = "train";
    public const string Test = "test";

    public static string ForId(string id, double testRatio)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentOutOfRangeException.ThrowIfLessThan(testRatio, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(testRatio, 1);
        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id));
        var unit = (hash >> 11) * (1.0 / (1UL << 53));
        return unit < testRatio ? Test : Train;
    }
}
