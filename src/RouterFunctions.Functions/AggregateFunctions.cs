using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RouterFunctions.Application.Aggregation;
using RouterFunctions.Http.Endpoints;

namespace RouterFunctions.Functions;

/// <summary>POST /api/aggregate (the job's first call goes to the aggregate-calls queue) and GET /api/aggregate/{id}.</summary>
public sealed class AggregateFunctions(AggregationService aggregation)
{
    [Function("Aggregate")]
    public Task<IResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "aggregate")] HttpRequest request, CancellationToken cancellationToken) =>
        AggregationApi.StartAsync(request, aggregation, cancellationToken);

    [Function("AggregateStatus")]
    public Task<IResult> StatusAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "aggregate/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        AggregationApi.StatusAsync(id, aggregation, cancellationToken);
}
