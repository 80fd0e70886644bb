using System.Text.Json;
using RouterFunctions.Aggregation;
using RouterFunctions.Handler.Endpoints;
using RouterFunctions.Handler.Functions;
using RouterFunctions.Handler.Local;

namespace RouterFunctions.Handler.Aggregation;

internal static class AggregationEndpoints
{
    /// <summary>Validates a POST /api/aggregate body; the problem or null.</summary>
    public static (string Field, string Problem)? Validate(AggregateRequest? request) => request switch
    {
        null => ("body", "must be a JSON object"),
        { Question: null } or { Question.Length: 0 } => ("question", "is required"),
        { Question: var q } when string.IsNullOrWhiteSpace(q) => ("question", "must not be whitespace"),
        { Question.Length: > 16_000 } => ("question", "is longer than 16000 characters"),
        { Budget: <= 0 or > 100 } => ("budget", "must be between 0 and 100 USD"),
        { Strategy: { } strategy } when !Enum.IsDefined(strategy) => ("strategy", "must be MultiRound or Decompose"),
        _ => null,
    };

    /// <summary>GET /api/aggregate/{id}: status, transcript, spend.</summary>
    public static void MapAggregateStatus(this IEndpointRouteBuilder api) =>
        api.MapGet("/aggregate/{id}", async Task<IResult> (string id, IAggregationStore store, CancellationToken cancellationToken) =>
            await store.GetAsync(id, cancellationToken) is { } stored
                ? TypedResults.Json(new { summary = stored.Job.Summary(), transcript = stored.Job.Transcript, calls = stored.Job.PoolCalls }, AggregationJson.Options)
                : TypedResults.Problem(detail: $"No aggregation job '{id}'.", statusCode: 404, title: "Unknown job."));

    /// <summary>Local mode's POST /api/aggregate: starts the job and puts its first call on the in-process queue.</summary>
    public static void MapLocalAggregate(this IEndpointRouteBuilder api) =>
        api.MapPost("/aggregate", async (HttpRequest request, AggregationService aggregation, LocalQueues queues, CancellationToken cancellationToken) =>
        {
            using var reader = new StreamReader(request.Body);
            var started = await StartAsync(aggregation, await reader.ReadToEndAsync(cancellationToken), cancellationToken);
            foreach (var message in started.Messages)
            {
                queues.Aggregate.Send(JsonSerializer.Serialize(message, FeedbackIntake.Json), message.CallId);
            }

            return TypedResults.Json(started.Body, FeedbackIntake.Json, started.Status < 300 ? "application/json" : "application/problem+json", started.Status);
        });

    public sealed record Started(int Status, object Body, IReadOnlyList<AggregateCallMessage> Messages);

    /// <summary>The Aggregate function's work, shared by the host's invocation and local mode.</summary>
    public static async Task<Started> StartAsync(AggregationService aggregation, string body, CancellationToken cancellationToken)
    {
        AggregateRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<AggregateRequest>(body, AggregationJson.Options);
        }
        catch (JsonException e)
        {
            var path = e.Path?.TrimStart('$').TrimStart('.');
            return Invalid(string.IsNullOrEmpty(path) ? "body" : path, "is not valid JSON of the expected shape");
        }

        if (Validate(request) is { } bad)
        {
            return Invalid(bad.Field, bad.Problem);
        }

        try
        {
            var (job, next) = await aggregation.StartAsync(request!.Question!, request.Strategy ?? AggregationStrategy.MultiRound, request.Budget, cancellationToken);
            return new Started(StatusCodes.Status202Accepted, new { id = job.Id, status = job.Status, statusUrl = $"/api/aggregate/{job.Id}" }, next);
        }
        catch (InvalidOperationException e)
        {
            return new Started(StatusCodes.Status503ServiceUnavailable, FeedbackIntake.Problem(503, "Aggregation is not available.", e.Message), []);
        }
    }

    private static Started Invalid(string field, string problem) =>
        new(StatusCodes.Status400BadRequest, new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [problem] })
        {
            Title = "The request is invalid.",
            Status = 400,
            Detail = $"{field}: {problem}",
        }, []);
}
