using RouterFunctions.Core.Embeddings;

namespace RouterFunctions.Core.Tests.Embeddings;

public class EmbeddingCacheKeyTests
{
    [Theory]
    [InlineData("\uFB01le", "file")] // ligature ﬁ
    [InlineData("\uFF21BC", "ABC")] // full-width Ａ
    [InlineData("caf\u00E9", "cafe\u0301")] // precomposed é vs e + combining acute
    [InlineData("x\u00B2", "x2")] // superscript two
    public void For_gives_texts_with_the_same_NFKC_form_the_same_key(string text, string sameUnderNfkc)
    {
        Assert.Equal(EmbeddingCacheKey.For("m", text), EmbeddingCacheKey.For("m", sameUnderNfkc));
    }

    [Theory]
    [InlineData("Hello", "hello")]
    [InlineData("a b", "a  b")]
    [InlineData("text", "text ")]
    public void For_keeps_texts_that_differ_after_NFKC_apart(string text, string other)
    {
        Assert.NotEqual(EmbeddingCacheKey.For("m", text), EmbeddingCacheKey.For("m", other));
    }

    [Fact]
    public void For_gives_different_models_different_keys()
    {
        Assert.NotEqual(EmbeddingCacheKey.For("model-a", "same text"), EmbeddingCacheKey.For("model-b", "same text"));
    }

    [Fact]
    public void For_is_a_stable_lowercase_hex_digest()
    {
        var key = EmbeddingCacheKey.For("m", "some text");

        Assert.Equal(key, EmbeddingCacheKey.For("m", "some text"));
        Assert.Matches("^[0-9a-f]{32}$", key);
    }
}
