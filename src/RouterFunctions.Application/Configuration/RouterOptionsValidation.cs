using Microsoft.Extensions.Options;

namespace RouterFunctions.Application.Configuration;

/// <summary>
/// Makes the router's file settings absolute (against <see cref="RelativePathBase"/>) and stops start-up when one
/// names a file that is not there: a set path that does not exist is a mistake even on a start that would not read it,
/// and found at start it cannot leave the router waiting for a profile that never comes.
/// </summary>
internal sealed class RouterOptionsValidation(RelativePathBase paths) : IPostConfigureOptions<RouterOptions>, IValidateOptions<RouterOptions>
{
    private const string Section = RouterOptions.SectionName;

    public void PostConfigure(string? name, RouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProfilePath = paths.Resolve(options.ProfilePath);
        options.TrainingDataPath = paths.Resolve(options.TrainingDataPath);
        options.ModelCatalogPath = paths.Resolve(options.ModelCatalogPath);
    }

    public ValidateOptionsResult Validate(string? name, RouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new[]
        {
            Missing($"{Section}:{nameof(RouterOptions.ProfilePath)}", options.ProfilePath, "point it at a profile file from 'routerfn train -o', or remove it to train one"),
            Missing($"{Section}:{nameof(RouterOptions.TrainingDataPath)}", options.TrainingDataPath, "point it at a graded JSONL file, or remove it to use the RouterBench subset in ../shared"),
            Missing($"{Section}:{nameof(RouterOptions.ModelCatalogPath)}", options.ModelCatalogPath, "point it at a models.json, or remove it to use the one beside the training data"),
        }.OfType<ConfigurationError>().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => e.ToString()));
    }

    private static ConfigurationError? Missing(string setting, string? path, string fix) =>
        string.IsNullOrWhiteSpace(path) || File.Exists(path)
            ? null
            : new ConfigurationError(setting, path, Directory.Exists(path) ? "is a folder, not a file" : "no such file", fix);
}
