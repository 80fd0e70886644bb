using System.Text;

namespace RouterFunctions.Storage.Tables;

/// <summary>
/// A row's properties as the local database keeps them: one blob, each value with its type, exact (doubles as their
/// bits, instants as UTC ticks). <see cref="Decode"/> refuses anything it did not write whole.
/// </summary>
internal static class PropertyCodec
{
    private const byte Version = 1;

    private enum Kind : byte
    {
        String = (byte)'s',
        Long = (byte)'l',
        Double = (byte)'d',
        Bool = (byte)'b',
        Bytes = (byte)'y',
        Time = (byte)'t',
    }

    /// <summary>The stored form of the row's properties: checked by <see cref="TableRules.Stored"/>, nulls dropped.</summary>
    public static byte[] Encode(TableRow row)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            var kept = row.Properties.Select(p => (p.Key, Value: TableRules.Stored(p.Key, p.Value))).Where(p => p.Value is not null).ToList();
            writer.Write(Version);
            writer.Write7BitEncodedInt(kept.Count);
            foreach (var (name, value) in kept)
            {
                writer.Write(name);
                switch (value)
                {
                    case string s:
                        writer.Write((byte)Kind.String);
                        writer.Write(s);
                        break;
                    case long l:
                        writer.Write((byte)Kind.Long);
                        writer.Write(l);
                        break;
                    case double d:
                        writer.Write((byte)Kind.Double);
                        writer.Write(d);
                        break;
                    case bool b:
                        writer.Write((byte)Kind.Bool);
                        writer.Write(b);
                        break;
                    case byte[] bytes:
                        writer.Write((byte)Kind.Bytes);
                        writer.Write7BitEncodedInt(bytes.Length);
                        writer.Write(bytes);
                        break;
                    case DateTimeOffset t:
                        writer.Write((byte)Kind.Time);
                        writer.Write(t.UtcTicks);
                        break;
                    default:
                        throw new NotSupportedException($"Property '{name}' is a {value!.GetType()}, which is not stored.");
                }
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The properties of <paramref name="blob"/>; <see cref="InvalidDataException"/> when it is not a whole blob of this format.</summary>
    public static Dictionary<string, object?> Decode(byte[] blob)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(blob, writable: false), new UTF8Encoding(false, throwOnInvalidBytes: true));
            if (reader.ReadByte() is var version && version != Version)
            {
                throw new InvalidDataException($"format version {version}, expected {Version}");
            }

            var count = reader.Read7BitEncodedInt();
            var properties = new Dictionary<string, object?>(count is >= 0 and <= 255 ? count : 0, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                properties[name] = (Kind)reader.ReadByte() switch
                {
                    Kind.String => reader.ReadString(),
                    Kind.Long => reader.ReadInt64(),
                    Kind.Double => reader.ReadDouble(),
                    Kind.Bool => reader.ReadBoolean(),
                    Kind.Bytes => ReadBytes(reader),
                    Kind.Time => new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero),
                    var kind => throw new InvalidDataException($"unknown value type {(byte)kind} of property '{name}'"),
                };
            }

            if (reader.BaseStream.Position != blob.Length)
            {
                throw new InvalidDataException($"{blob.Length - reader.BaseStream.Position} bytes past the last property");
            }

            return properties;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or DecoderFallbackException or ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"cut short or garbled ({e.Message.TrimEnd('.')})", e);
        }
    }

    private static byte[] ReadBytes(BinaryReader reader)
    {
        var length = reader.Read7BitEncodedInt();
        var bytes = reader.ReadBytes(length);
        return bytes.Length == length ? bytes : throw new EndOfStreamException();
    }
}
