namespace RouterFunctions.Embeddings.Onnx.Tests;

public sealed class EmbeddingModelFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("routerfn-model-").FullName;

    [Fact]
    public void A_missing_model_names_its_path_and_how_to_get_it()
    {
        File.Copy(Path.Combine(ModelFiles.Directory, "tokenizer.model"), Path.Combine(_directory, "tokenizer.model"));

        var error = Assert.Throws<EmbeddingModelException>(() => new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = _directory }));

        Assert.Contains(Path.Combine(_directory, "model.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains("models/download.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_model_names_its_path()
    {
        File.Copy(Path.Combine(ModelFiles.Directory, "tokenizer.model"), Path.Combine(_directory, "tokenizer.model"));
        File.WriteAllText(Path.Combine(_directory, "model.onnx"), "not an onnx model");

        var error = Assert.Throws<EmbeddingModelException>(() => new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = _directory }));

        Assert.Contains(Path.Combine(_directory, "model.onnx"), error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void A_corrupt_tokenizer_names_its_path()
    {
        File.WriteAllText(Path.Combine(_directory, "tokenizer.model"), "garbage");

        var error = Assert.Throws<EmbeddingModelException>(() => SentencePieceIds.Load(Path.Combine(_directory, "tokenizer.model"), 128));

        Assert.Contains("tokenizer.model", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
