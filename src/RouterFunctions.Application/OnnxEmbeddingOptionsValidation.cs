using Microsoft.Extensions.Options;
using RouterFunctions.Application.Configuration;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Application;

/// <summary>
/// Fills in the default model folder, makes a relative one absolute (against <see cref="RelativePathBase"/>), and
/// fails start-up with the missing files and how to get the model, instead of at the first request.
/// </summary>
internal sealed class OnnxEmbeddingOptionsValidation(RelativePathBase paths) : IValidateOptions<OnnxEmbeddingOptions>, IPostConfigureOptions<OnnxEmbeddingOptions>
{
    private const string Setting = $"{OnnxEmbeddingOptions.SectionName}:{nameof(OnnxEmbeddingOptions.ModelDirectory)}";

    public void PostConfigure(string? name, OnnxEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ModelDirectory = string.IsNullOrWhiteSpace(options.ModelDirectory)
            ? DefaultPaths.ModelDirectory()
            : paths.Resolve(options.ModelDirectory)!;
    }

    public ValidateOptionsResult Validate(string? name, OnnxEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var missing = new[] { options.ModelPath, options.TokenizerPath }.Where(p => !File.Exists(p)).Select(p => $"'{Path.GetFullPath(p)}'").ToList();
        if (missing.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var problem = Directory.Exists(options.ModelDirectory) ? $"no {string.Join(" and no ", missing)}" : "no such folder";
        return new ConfigurationError(Setting, options.ModelDirectory, problem,
            "get the model with 'models/download.sh' (see models/README.md), or set it to a folder that holds " +
            $"{options.ModelFile} and {options.TokenizerFile}").ToResult();
    }
}
