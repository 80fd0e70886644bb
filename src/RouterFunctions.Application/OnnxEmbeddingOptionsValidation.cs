using Microsoft.Extensions.Options;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Application;

/// <summary>Fails start-up with the missing file's path and how to get the model, instead of at the first request.</summary>
internal sealed class OnnxEmbeddingOptionsValidation : IValidateOptions<OnnxEmbeddingOptions>, IPostConfigureOptions<OnnxEmbeddingOptions>
{
    public void PostConfigure(string? name, OnnxEmbeddingOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ModelDirectory))
        {
            options.ModelDirectory = DefaultPaths.ModelDirectory();
        }
    }

    public ValidateOptionsResult Validate(string? name, OnnxEmbeddingOptions options)
    {
        var missing = new[] { options.ModelPath, options.TokenizerPath }.Where(p => !File.Exists(p)).ToList();
        return missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(missing.Select(p =>
                $"Embedding model file '{Path.GetFullPath(p)}' does not exist. Get the model with 'models/download.sh' " +
                "(see models/README.md) or set Embedding:ModelDirectory to a folder that holds model.onnx and tokenizer.model."));
    }
}
