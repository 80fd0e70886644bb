using RouterFunctions.Application;
using RouterFunctions.Application.Routing;

namespace RouterFunctions.Http.Endpoints;

/// <summary>POST /api/route: embed the query, pick the model, explain the pick.</summary>
public static class RouteApi
{
    public static async Task<IResult> HandleAsync(HttpRequest request, RouteQuery route, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequest.ReadAsync<RouteRequest>(request, ApplicationJson.Web, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var outcome = await route.RouteAsync(
            new RouteCommand(body.Query, body.Policy?.CostWeight, body.Policy?.QualityBand, body.Policy?.MaxCost, body.AllowedModels), cancellationToken);
        if (!outcome.Succeeded)
        {
            return Problems.From(outcome.Error);
        }

        var (routed, decision) = (outcome.Value.Routed, outcome.Value.Routed.Decision);
        return TypedResults.Json(new RouteResponse(
            routed.RequestId,
            decision.Model,
            [.. decision.Candidates.Select(RouteResponse.Rounded)],
            decision.Cluster,
            Math.Round(decision.Distance, 6),
            decision.OutOfDistribution,
            decision.ProfileVersion,
            routed.Cache,
            outcome.Value.StorageReachable ? "ok" : "unreachable",
            routed.Timings,
            routed.Excluded,
            routed.Escalated,
            Math.Round(decision.Propensity, 6),
            decision.Explored), RouteJson.Default.RouteResponse);
    }
}
