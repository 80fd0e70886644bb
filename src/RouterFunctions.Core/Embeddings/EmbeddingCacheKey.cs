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
        var bytes = Encoding.UTF8.GetBytes(modelId + "\n" + TextNormalization.Nfkc(text));
        return Convert.ToHexStringLower(XxHash128.Hash(bytes));
    }
}
