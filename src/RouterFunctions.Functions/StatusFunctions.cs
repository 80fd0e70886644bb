using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RouterFunctions.Application.Status;
using RouterFunctions.Http.Endpoints;

namespace RouterFunctions.Functions;

/// <summary>GET /api/health (anonymous: probes and dashboards need no key) and GET /api/profiles/current.</summary>
public sealed class StatusFunctions(StatusViews views, StatsView stats)
{
    [Function("Health")]
    public IResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        StatusApi.Health(views);

    [Function("Profiles")]
    public IResult CurrentProfile([HttpTrigger(AuthorizationLevel.Function, "get", Route = "profiles/current")] HttpRequest request) =>
        StatusApi.CurrentProfile(views);

    [Function("Stats")]
    public Task<IResult> Stats([HttpTrigger(AuthorizationLevel.Function, "get", Route = "stats")] HttpRequest request, CancellationToken cancellationToken) =>
        StatusApi.StatsAsync(stats, cancellationToken);
}
