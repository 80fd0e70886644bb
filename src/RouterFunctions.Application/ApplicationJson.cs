using System.Text.Json;
using System.Text.Json.Serialization;

namespace RouterFunctions.Application;

/// <summary>The JSON of messages and answers: web defaults (camelCase, case-insensitive reading).</summary>
public static class ApplicationJson
{
    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>For answers that may hold NaN (a retrain with nothing held out to score): written as "NaN", not a failure after the work is done.</summary>
    public static JsonSerializerOptions Answers { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
