using Microsoft.ML.Tokenizers;
using RouterFunctions.Core.Embeddings;

namespace RouterFunctions.Embeddings.Onnx;

/// <summary>
/// Text to token ids the way USE-lite was trained: NFKC, no BOS/EOS, each run of unknown ids (0)
/// collapsed into one, the first <c>maxTokens</c> ids kept.
/// </summary>
public sealed class SentencePieceIds
{
    private const int UnknownId = 0;
    private readonly Tokenizer _tokenizer;
    private readonly int _maxTokens;

    public SentencePieceIds(Tokenizer tokenizer, int maxTokens)
    {
        _tokenizer = tokenizer;
        _maxTokens = maxTokens;
    }

    public static SentencePieceIds Load(string path, int maxTokens)
    {
        if (!File.Exists(path))
        {
            throw EmbeddingModelException.For(path, "does not exist");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return new SentencePieceIds(SentencePieceTokenizer.Create(stream, false, false), maxTokens);
        }
        catch (Exception e) when (e is not EmbeddingModelException)
        {
            throw EmbeddingModelException.For(path, "is not a SentencePiece model", e);
        }
    }

    public int[] Encode(string text)
    {
        var raw = _tokenizer.EncodeToIds(TextNormalization.Nfkc(text));
        var ids = new List<int>(Math.Min(raw.Count, _maxTokens));
        foreach (var id in raw)
        {
            if (ids.Count == _maxTokens)
            {
                break;
            }

            if (id == UnknownId && ids.Count > 0 && ids[^1] == UnknownId)
            {
                continue;
            }

            ids.Add(id);
        }

        return [.. ids];
    }
}
