using System.ComponentModel.DataAnnotations;

namespace RouterFunctions.Embeddings.Onnx;

/// <summary>Where the sentence encoder lives and how to run it.</summary>
public sealed class OnnxEmbeddingOptions
{
    public const string SectionName = "Embedding";

    /// <summary>Folder holding <see cref="ModelFile"/> and <see cref="TokenizerFile"/>.</summary>
    [Required]
    public string ModelDirectory { get; set; } = "";

    public string ModelFile { get; set; } = "model.onnx";

    public string TokenizerFile { get; set; } = "tokenizer.model";

    /// <summary>Identifies the vectors this model makes: part of every cache key and stored with each profile.</summary>
    [Required]
    public string ModelId { get; set; } = "use-lite-int8";

    [Range(1, 4096)]
    public int MaxTokens { get; set; } = 128;

    /// <summary>ONNX Runtime intra-op threads; 1 suits a router that serves many small requests at once.</summary>
    [Range(1, 64)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// <see cref="Pooling.InGraph"/> for models whose graph pools and normalises (USE-lite);
    /// <see cref="Pooling.MeanL2"/> for BERT-style exports that return token states.
    /// </summary>
    public Pooling Pooling { get; set; } = Pooling.InGraph;

    public string ModelPath => Path.Combine(ModelDirectory, ModelFile);

    public string TokenizerPath => Path.Combine(ModelDirectory, TokenizerFile);
}

public enum Pooling
{
    InGraph,
    MeanL2,
}
