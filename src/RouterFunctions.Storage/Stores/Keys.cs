using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace RouterFunctions.Storage.Stores;

/// <summary>Key and value encodings the stores share.</summary>
internal static class Keys
{
    /// <summary>A row-key-safe, fixed-length name for any string (ids may hold '/', '#', '?', which keys may not).</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(value)));

    /// <summary>Spreads point-read keys over 64 partitions.</summary>
    public static string Spread(string value) => $"p{XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(value)) % 64:D2}";

    public static byte[] ToBytes(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public static float[] ToFloats(byte[]? bytes) => bytes is null ? [] : MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
