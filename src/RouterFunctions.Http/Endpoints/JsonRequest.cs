using System.Text.Json;

namespace RouterFunctions.Http.Endpoints;

/// <summary>Reads a request body as a <c>T</c>, or the 400 that says why it cannot be.</summary>
internal static class JsonRequest
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await JsonBody.ReadTextAsync(request, cancellationToken) is not { } body)
        {
            return (null, Problems.NotUtf8());
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body.Span, options) is { } value
                ? (value, null)
                : (null, Problems.Field("body", "must be a JSON object"));
        }
        catch (JsonException e)
        {
            return (null, Problems.FromJson(e));
        }
    }
}
