using System.Text.Json;

namespace RouterFunctions.Core.Data;

/// <summary>
/// Parses RouterBench-style JSONL lines. Text comes from <c>textField</c> (e.g. <c>question</c>) and falls back
/// to <c>query</c>; rows without <c>split</c> get one from <see cref="DatasetSplit.ForId"/>.
/// </summary>
public sealed class DatasetReader(string textField = "question", double testRatio = 0.3)
{
    public LabeledQuery Parse(string line, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var id = root.TryGetProperty("id", out var idElement) ? idElement.ToString() : lineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var text = GetString(root, textField) ?? GetString(root, "query")
                ?? throw new FormatException($"line {lineNumber}: neither '{textField}' nor 'query' is present");
            var task = GetString(root, "task");
            var split = GetString(root, "split") ?? DatasetSplit.ForId(id, testRatio);
            var results = new Dictionary<string, ModelOutcome>(StringComparer.Ordinal);
            if (root.TryGetProperty("results", out var resultsElement) && resultsElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var model in resultsElement.EnumerateObject())
                {
                    results[model.Name] = new ModelOutcome(
                        model.Value.GetProperty("score").GetDouble(),
                        model.Value.TryGetProperty("cost", out var cost) ? cost.GetDouble() : 0);
                }
            }

            return new LabeledQuery(id, text, task, split, results);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"line {lineNumber}: {e.Message}", e);
        }
    }

    private static string? GetString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
}
