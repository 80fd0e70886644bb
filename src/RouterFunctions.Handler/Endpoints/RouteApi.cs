using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RouterFunctions.Core.Routing;
using RouterFunctions.Hosting;

namespace RouterFunctions.Handler.Endpoints;

/// <summary>POST /api/route: embed the query, pick the model, explain the pick.</summary>
internal static class RouteApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IResult> HandleAsync(
        HttpRequest request,
        RoutingService routing,
        ProfileHolder profiles,
        IOptions<RouterOptions> options,
        CancellationToken cancellationToken)
    {
        RouteRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<RouteRequest>(request.Body, Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return Problems.FromJson(e);
        }

        if (body is null)
        {
            return Problems.Field("body", "must be a JSON object");
        }

        if (Validate(body, options.Value) is { } invalid)
        {
            return invalid;
        }

        var policy = new RoutingPolicy
        {
            CostWeight = body.Policy?.CostWeight ?? options.Value.DefaultCostWeight,
            QualityBand = body.Policy?.QualityBand,
            MaxCost = body.Policy?.MaxCost,
        };
        if (policy.Validate() is { } bad)
        {
            return Problems.Field(bad.Field, bad.Problem);
        }

        if (profiles.Current is not { } router)
        {
            return Problems.NotReady("The first profile is still being trained or loaded; retry shortly (GET /api/health shows progress).");
        }

        var unknown = body.AllowedModels is null ? [] : router.UnknownModels(body.AllowedModels).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Field("allowedModels", $"unknown model(s): {string.Join(", ", unknown)}; GET /api/profiles/current lists the models");
        }

        Routed routed;
        try
        {
            routed = await routing.RouteAsync(router, body.Query!, policy, body.AllowedModels, cancellationToken);
        }
        catch (ArgumentException e) when (e.ParamName == "allowedModels")
        {
            return Problems.Field("allowedModels", "none of these models is enabled");
        }

        var decision = routed.Decision;
        return TypedResults.Ok(new RouteResponse(
            routed.RequestId,
            decision.Model,
            decision.Candidates,
            decision.Cluster,
            decision.Distance,
            decision.OutOfDistribution,
            decision.ProfileVersion,
            routed.Cache,
            profiles.StorageReachable ? "ok" : "unreachable",
            routed.Timings));
    }

    private static IResult? Validate(RouteRequest body, RouterOptions options)
    {
        if (string.IsNullOrWhiteSpace(body.Query))
        {
            return Problems.Field("query", "is required and must not be empty or whitespace");
        }

        if (Encoding.UTF8.GetByteCount(body.Query) > options.MaxQueryBytes)
        {
            return Problems.Field("query", $"is longer than {options.MaxQueryBytes} bytes (UTF-8)");
        }

        if (body.AllowedModels is { Count: 0 })
        {
            return Problems.Field("allowedModels", "must name at least one model when present");
        }

        if (body.AllowedModels?.Any(string.IsNullOrWhiteSpace) == true)
        {
            return Problems.Field("allowedModels", "must not contain empty names");
        }

        return null;
    }
}
