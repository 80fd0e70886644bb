using Microsoft.ML.Tokenizers;

namespace RouterFunctions.Embeddings.Onnx.Tests;

public sealed class SentencePieceIdsTests
{
    private static readonly string TokenizerPath = Path.Combine(ModelFiles.Directory, "tokenizer.model");
    private readonly SentencePieceIds _ids = SentencePieceIds.Load(TokenizerPath, 128);

    [Fact]
    public void Ids_are_the_raw_tokenizer_ids_without_bos_or_eos()
    {
        using var stream = File.OpenRead(TokenizerPath);
        var raw = SentencePieceTokenizer.Create(stream, false, false).EncodeToIds("Hello world, how are you?");

        Assert.Equal(raw, _ids.Encode("Hello world, how are you?"));
        Assert.DoesNotContain(1, _ids.Encode("Hello world")); // <s>
        Assert.DoesNotContain(2, _ids.Encode("Hello world")); // </s>
    }

    [Fact]
    public void Text_is_nfkc_normalised_first()
    {
        // U+FB01 (ﬁ ligature) and full-width letters are NFKC-equal to their plain forms.
        Assert.Equal(_ids.Encode("file ABC"), _ids.Encode("\uFB01le ＡＢＣ"));
    }

    [Fact]
    public void A_run_of_unknown_ids_becomes_one()
    {
        var ids = _ids.Encode("a 漢字漢字漢字 b");

        for (var i = 1; i < ids.Length; i++)
        {
            Assert.False(ids[i] == 0 && ids[i - 1] == 0, string.Join(',', ids));
        }

        Assert.Contains(0, ids);
    }

    [Fact]
    public void Only_the_first_max_tokens_ids_are_kept()
    {
        var text = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"w{i}"));
        var all = SentencePieceIds.Load(TokenizerPath, 10_000).Encode(text);

        var kept = _ids.Encode(text);

        Assert.Equal(128, kept.Length);
        Assert.Equal(all.Take(128), kept);
    }

    [Fact]
    public void A_missing_tokenizer_names_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir", "tokenizer.model");

        var error = Assert.Throws<EmbeddingModelException>(() => SentencePieceIds.Load(path, 128));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
