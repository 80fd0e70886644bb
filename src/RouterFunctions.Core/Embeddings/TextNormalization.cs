using System.Text;

namespace RouterFunctions.Core.Embeddings;

/// <summary>The one NFKC of the router: the encoder's tokenizer and the embedding cache key must agree on it.</summary>
public static class TextNormalization
{
    /// <summary>
    /// NFKC, as the encoder's SentencePiece recipe applies it. string.Normalize refuses U+FFFE and unpaired surrogates
    /// (ArgumentException, a 500 for a query holding one): they are read as U+FFFD instead, so such a query embeds.
    /// </summary>
    public static string Nfkc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
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
