using RouterFunctions.Aggregation;
using RouterFunctions.Application.Aggregation;

namespace RouterFunctions.Http.Endpoints;

/// <summary>POST /api/aggregate starts a Router-R1 job (202 and where to look); GET /api/aggregate/{id} shows it.</summary>
public static class AggregationApi
{
    public static async Task<IResult> StartAsync(HttpRequest request, AggregationService aggregation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        var (body, problem) = await JsonRequest.ReadAsync<AggregateCommand>(request, AggregationJson.Options, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var started = await aggregation.StartAsync(body, cancellationToken);
        return started.Succeeded
            ? TypedResults.Json(new { id = started.Value.Id, status = started.Value.Status, statusUrl = $"/api/aggregate/{started.Value.Id}" }, AggregationJson.Options, statusCode: StatusCodes.Status202Accepted)
            : Problems.From(started.Error);
    }

    public static async Task<IResult> StatusAsync(string id, AggregationService aggregation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        var job = await aggregation.GetAsync(id, cancellationToken);
        return job.Succeeded
            ? TypedResults.Json(new { summary = job.Value.Summary(), transcript = job.Value.Transcript, calls = job.Value.PoolCalls }, AggregationJson.Options)
            : Problems.From(job.Error);
    }
}
