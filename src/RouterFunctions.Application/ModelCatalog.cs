using System.Text.Json;
using RouterFunctions.Core.Data;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Application;

/// <summary>
/// Model descriptors from a models.json (RouterBench's format: name and prices per 1M tokens), with optional
/// cold-start fields: prior_quality (0..1), prior_cost (USD per query) and enabled (false keeps a model out of routing).
/// </summary>
public static class ModelCatalog
{
    public static IReadOnlyList<ModelDescriptor> Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var models = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("models", out var list) ? list : root;
        return [.. models.EnumerateArray().Select(m => new ModelDescriptor
        {
            Name = m.GetProperty("name").GetString() ?? throw new FormatException($"{path}: a model has no name"),
            InputPricePerMillion = Number(m, "price_per_1M_input_usd"),
            OutputPricePerMillion = Number(m, "price_per_1M_output_usd"),
            ContextLength = m.TryGetProperty("context_length", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null,
            PriorQuality = Optional(m, "prior_quality", path, 0, 1),
            PriorCost = Optional(m, "prior_cost", path, 0, double.MaxValue),
            Enabled = !m.TryGetProperty("enabled", out var enabled) || enabled.ValueKind != JsonValueKind.False,
        })];
    }

    /// <summary>Descriptors for every model in the data, priced from the catalog where it names them.</summary>
    public static IReadOnlyList<ModelDescriptor> ForData(IEnumerable<LabeledQuery> rows, IReadOnlyList<ModelDescriptor>? catalog)
    {
        var names = rows.SelectMany(r => r.Results.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return [.. names.Select(n => catalog?.FirstOrDefault(d => d.Name == n) ?? new ModelDescriptor { Name = n })];
    }

    // A cold-start prior (RouteProfile's model descriptor): absent is null; out of range names the file and model.
    private static double? Optional(JsonElement element, string name, string path, double min, double max)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.GetDouble() is var number && number >= min && number <= max
            ? number
            : throw new FormatException($"{path}: model '{element.GetProperty("name").GetString()}' has {name} {value.GetRawText()}; expected a number from {min} to {(max == double.MaxValue ? "any" : max)}");
    }

    private static double Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;
}
