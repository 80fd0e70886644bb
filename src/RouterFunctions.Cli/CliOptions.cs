using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RouterFunctions.Application;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Profiles;
using RouterFunctions.Embeddings.Onnx;

namespace RouterFunctions.Cli;

/// <summary>Options several commands share, and what they resolve to.</summary>
internal static class CliOptions
{
    public static Option<FileInfo> Data(bool required = true) => new("--data")
    {
        Description = "Graded queries, one JSON object per line (RouterBench format: id, query/question, task?, split?, results).",
        Required = required,
    };

    public static Option<string> Split(string defaultSplit) => new("--split")
    {
        Description = "Which rows to use: train, test or all.",
        DefaultValueFactory = _ => defaultSplit,
    };

    public static readonly Option<string> TextField = new("--text-field")
    {
        Description = "The field to embed; rows without it use 'query'.",
        DefaultValueFactory = _ => "question",
    };

    public static readonly Option<double> TestRatio = new("--test-ratio")
    {
        Description = "Share of rows without a 'split' field that go to test (by a hash of the id).",
        DefaultValueFactory = _ => 0.3,
    };

    public static readonly Option<FileInfo?> Catalog = new("--models")
    {
        Description = "models.json with prices per 1M tokens (default: the one beside --data, if any).",
    };

    private static readonly string[] ModelFiles = ["model.onnx", "tokenizer.model"];

    /// <summary>Lets an installed tool be pointed at the model once, instead of on every command.</summary>
    public const string ModelDirectoryVariable = "ROUTERFN_MODEL_DIR";

    public static readonly Option<DirectoryInfo?> ModelDirectory = new("--model-dir")
    {
        Description = $"Folder with the ONNX sentence encoder (default: ${ModelDirectoryVariable}, else models/ or shared/models found upward from here).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ModelDirectoryVariable) is { Length: > 0 } dir ? new DirectoryInfo(dir) : null,
    };

    /// <summary>
    /// The composition for a command, with the encoder from --model-dir (else the default folders). A missing model is
    /// told here in the CLI's own words (which flag to pass), before any command depends on it.
    /// </summary>
    /// <param name="settings">More configuration for the command (e.g. simulate's store and exploration settings).</param>
    /// <param name="configure">More services for the command (e.g. simulate's use cases).</param>
    public static ServiceProvider Services(
        ParseResult parse,
        string? jsonFile = null,
        HttpMessageHandler? modelTransport = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var folder = parse.GetValue(ModelDirectory)?.FullName ?? DefaultPaths.ModelDirectory();
        var missing = ModelFiles.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(
                $"No embedding model in {Path.GetFullPath(folder)} (missing {string.Join(" and ", missing)}): pass --model-dir FOLDER " +
                $"or set {ModelDirectoryVariable}, or run from the repository (models/download.sh fills models/).");
        }

        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Embedding:ModelDirectory"] = folder };
        return CliServices.Build(all, jsonFile, modelTransport, configure);
    }

    /// <summary>The bare encoder (no cache: a command embeds each text once), owned by <paramref name="services"/>.</summary>
    public static OnnxEmbeddingGenerator Embedder(this ServiceProvider services)
    {
        try
        {
            return services.GetRequiredService<OnnxEmbeddingGenerator>();
        }
        catch (OptionsValidationException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    public static IReadOnlyList<LabeledQuery> ReadRows(ParseResult parse, Option<FileInfo> data, Option<string> split)
    {
        var rows = ReadAll(parse, data);
        var which = parse.GetValue(split)!;
        var selected = which == "all" ? rows : [.. rows.Where(r => r.Split == which)];
        return selected.Count > 0 ? selected : throw new ArgumentException($"No rows with split '{which}' in {parse.GetValue(data)!.FullName}.");
    }

    /// <summary>Every row, each with its split (its own field, else by --test-ratio).</summary>
    public static IReadOnlyList<LabeledQuery> ReadAll(ParseResult parse, Option<FileInfo> data)
    {
        var ratio = parse.GetValue(TestRatio);
        if (ratio is < 0 or > 1)
        {
            throw new ArgumentException("--test-ratio must be between 0 and 1.");
        }

        return DatasetFile.Read(parse.GetValue(data)!.FullName, new DatasetReader(parse.GetValue(TextField)!, ratio));
    }

    public static IReadOnlyList<ModelDescriptor> Models(ParseResult parse, Option<FileInfo> data, IReadOnlyList<LabeledQuery> rows)
    {
        var path = parse.GetValue(Catalog)?.FullName ?? Path.Combine(parse.GetValue(data)!.DirectoryName ?? ".", "models.json");
        return ModelCatalog.ForData(rows, File.Exists(path) ? ModelCatalog.Load(path) : null);
    }
}
