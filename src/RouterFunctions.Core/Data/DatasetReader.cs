using System.Globalization;
using System.Text.Json;

namespace RouterFunctions.Core.Data;

/// <summary>
/// Parses RouterBench-style JSONL lines. Text comes from <c>textField</c> (e.g. <c>question</c>) and falls back
/// to <c>query</c>; rows without <c>split</c> get one from <see cref="DatasetSplit.ForId"/>. Every graded result is
/// checked here (score in 0..1, cost ≥ 0, finite numbers), so a bad row is named by its line before any embedding.
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
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"line {lineNumber}: a row must be a JSON object, not {Kind(root)}");
            }

            var id = root.TryGetProperty("id", out var idElement) ? idElement.ToString() : lineNumber.ToString(CultureInfo.InvariantCulture);
            var text = GetString(root, textField) ?? GetString(root, "query")
                ?? throw new FormatException($"line {lineNumber}: neither '{textField}' nor 'query' is present");
            var task = GetString(root, "task");
            var split = GetString(root, "split") ?? DatasetSplit.ForId(id, testRatio);
            var results = new Dictionary<string, ModelOutcome>(StringComparer.Ordinal);
            if (root.TryGetProperty("results", out var resultsElement) && resultsElement.ValueKind != JsonValueKind.Null)
            {
                if (resultsElement.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"line {lineNumber}: 'results' must be an object of model: {{score, cost}}, not {Kind(resultsElement)}");
                }

                foreach (var model in resultsElement.EnumerateObject())
                {
                    results[model.Name] = Outcome(model, lineNumber);
                }
            }

            var flags = root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.True).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            return new LabeledQuery(id, text, task, split, results) { Line = lineNumber, Flags = flags };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"line {lineNumber}: {e.Message}", e);
        }
    }

    private static ModelOutcome Outcome(JsonProperty model, int lineNumber)
    {
        var where = $"line {lineNumber}: model '{model.Name}'";
        if (model.Value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: a result must be an object {{score, cost}}, not {Kind(model.Value)}");
        }

        if (!model.Value.TryGetProperty("score", out var scoreElement) || scoreElement.ValueKind == JsonValueKind.Null)
        {
            throw new FormatException($"{where} has no score");
        }

        var score = Number(scoreElement, $"{where}: score");
        if (score is < 0 or > 1)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{where}: score {score} is outside 0..1"));
        }

        var cost = model.Value.TryGetProperty("cost", out var costElement) && costElement.ValueKind != JsonValueKind.Null
            ? Number(costElement, $"{where}: cost")
            : 0;
        return cost < 0
            ? throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{where}: cost {cost} is negative"))
            : new ModelOutcome(score, cost);
    }

    // TryGetDouble refuses what does not fit a finite double (1e999), and a quoted "NaN" is a string, not a number.
    private static double Number(JsonElement element, string what) =>
        element.ValueKind != JsonValueKind.Number ? throw new FormatException($"{what} must be a number, not {Kind(element)} {element.GetRawText()}")
        : element.TryGetDouble(out var value) && double.IsFinite(value) ? value
        : throw new FormatException($"{what} {element.GetRawText()} is not a finite number");

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private static string? GetString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
}
