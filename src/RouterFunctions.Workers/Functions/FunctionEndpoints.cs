using System.Text.Json;
using RouterFunctions.Application;
using RouterFunctions.Http.Endpoints;

namespace RouterFunctions.Workers.Functions;

internal static class FunctionEndpoints
{
    /// <summary>POST /{FunctionName}: the host's invocations of the consumers.</summary>
    public static void MapHostFunctions(this IEndpointRouteBuilder app)
    {
        foreach (var function in FunctionNames.All)
        {
            app.MapPost("/" + function, async (HttpRequest request, FunctionInvoker invoker, CancellationToken cancellationToken) =>
            {
                if (await JsonBody.ReadTextAsync(request, cancellationToken) is not { } body)
                {
                    return Problems.NotUtf8();
                }

                JsonElement payload;
                try
                {
                    payload = JsonDocument.Parse(body).RootElement;
                }
                catch (JsonException)
                {
                    return Problems.Field("body", "must be the host's invocation payload: {\"Data\": …, \"Metadata\": …}");
                }

                try
                {
                    return TypedResults.Json(await invoker.InvokeAsync(function, payload, cancellationToken), ApplicationJson.Answers);
                }
                catch (FormatException e)
                {
                    return Problems.Field("Data", e.Message);
                }
            });
        }
    }
}
