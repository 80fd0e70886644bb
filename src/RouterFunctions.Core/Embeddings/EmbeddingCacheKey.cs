using System.IO.Hashing;
using System.Text;

namespace RouterFunctions.Core.Embeddings;

/// <summary>
/// Cache key = hash of (model id, NFKC text). NFKC is exactly the normalisation the encoder applies itself, so two
/// texts share a key only when they share a vector; anything looser (case, whitespace) would change the tokens.
/// </summary>
public static class EmbeddingCacheKey
{
    public static string For(string modelId, string text)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(modelId + "\n" + Nfkc(text));
        return Convert.ToHexStringLower(XxHash128.Hash(bytes));
    }

    /// <summary>
    /// NFKC as the encoder's tokenizer applies it. string.Normalize refuses U+FFFE and unpaired surrogates
    /// (ArgumentException, a 500 for a query holding one): both sides read them as U+FFFD instead.
    /// </summary>
    private static string Nfkc(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return string.Concat(text.EnumerateRunes().Select(r => r.Value == 0xFFFE ? Rune.ReplacementChar : r)).Normalize(NormalizationForm.FormKC);
        }
    }
}
