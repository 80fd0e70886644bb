using System.Text.Json;
using System.Text.Json.Serialization;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Handler.Endpoints;
using RouterFunctions.Handler.Local;

namespace RouterFunctions.Handler.Functions;

internal static class FunctionEndpoints
{
    // Answers may hold NaN (a retrain with nothing held out to score): written as "NaN", not a 500 after the work is done.
    private static readonly JsonSerializerOptions Answers = new(FeedbackIntake.Json)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>POST /{FunctionName}: the host's invocations of non-HTTP functions (and HTTP ones with extra outputs).</summary>
    public static void MapHostFunctions(this IEndpointRouteBuilder app)
    {
        foreach (var function in FunctionInvoker.Functions)
        {
            app.MapPost("/" + function, async (HttpRequest request, FunctionInvoker invoker, CancellationToken cancellationToken) =>
            {
                if (await JsonBody.ReadTextAsync(request, cancellationToken) is not { } body)
                {
                    return Problems.Field("body", "is not valid UTF-8 JSON text (or escapes an unpaired surrogate)");
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
                    return TypedResults.Json(await invoker.InvokeAsync(function, payload, cancellationToken), Answers);
                }
                catch (FormatException e)
                {
                    return Problems.Field("Data", e.Message);
                }
            });
        }
    }

    /// <summary>Local mode's HTTP side of the Feedback function: the host is not there to turn its output into a message.</summary>
    public static void MapLocalFeedback(this IEndpointRouteBuilder api) =>
        api.MapPost("/feedback", async (HttpRequest request, FeedbackIntake intake, LocalQueues queues, CancellationToken cancellationToken) =>
        {
            using var reader = new StreamReader(request.Body);
            var accepted = await intake.AcceptAsync(await reader.ReadToEndAsync(cancellationToken), cancellationToken);
            if (accepted.Event is { } feedback)
            {
                queues.Feedback.Send(JsonSerializer.Serialize(feedback, FeedbackIntake.Json));
            }

            return TypedResults.Json(accepted.Body, FeedbackIntake.Json, accepted.Status < 300 ? "application/json" : "application/problem+json", accepted.Status);
        });

    /// <summary>POST /api/retrain runs a retrain now and answers its outcome; GET /api/retrains lists past outcomes.</summary>
    public static void MapRetrain(this IEndpointRouteBuilder api)
    {
        api.MapPost("/retrain", async (RetrainRunner retrain, CancellationToken cancellationToken) =>
            TypedResults.Json(await retrain.RunAsync("requested over HTTP", cancellationToken), Answers));
        api.MapGet("/retrains", async (IRetrainLog log, CancellationToken cancellationToken) =>
        {
            var outcomes = new List<RetrainOutcome>();
            await foreach (var outcome in log.ListAsync(cancellationToken))
            {
                outcomes.Add(outcome);
                if (outcomes.Count == 50)
                {
                    break;
                }
            }

            return TypedResults.Json(outcomes, Answers);
        });
    }
}
