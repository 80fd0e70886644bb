namespace RouterFunctions.Embeddings.Onnx;

/// <summary>The model or tokenizer file is missing or unreadable; the message says where and how to get it.</summary>
public sealed class EmbeddingModelException : Exception
{
    public EmbeddingModelException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public EmbeddingModelException()
    {
    }

    public EmbeddingModelException(string message)
        : base(message)
    {
    }

    internal static EmbeddingModelException For(string path, string problem, Exception? inner = null) =>
        new($"Embedding model file '{path}' {problem}. Get the model with 'models/download.sh' " +
            "(see models/README.md) or point Embedding:ModelDirectory at a folder that holds it.", inner);
}
