using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RouterFunctions.Application.Routing;
using RouterFunctions.Http.Endpoints;

namespace RouterFunctions.Functions;

/// <summary>POST /api/route.</summary>
public sealed class RouteFunction(RouteQuery route)
{
    [Function("Route")]
    public Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "route")] HttpRequest request, CancellationToken cancellationToken) =>
        RouteApi.HandleAsync(request, route, cancellationToken);
}
