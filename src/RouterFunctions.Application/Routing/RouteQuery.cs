using System.Text;
using Microsoft.Extensions.Options;
using RouterFunctions.Core.Routing;

namespace RouterFunctions.Application.Routing;

/// <summary>Route one query: which model to call, with predicted quality and cost per candidate.</summary>
/// <param name="CostWeight">λ; the configured default when null.</param>
public sealed record RouteCommand(string? Query, double? CostWeight, double? QualityBand, double? MaxCost, IReadOnlyList<string>? AllowedModels);

/// <summary>A routed query and whether its decision could be stored (feedback can refer to it only then).</summary>
public sealed record RouteResult(Routed Routed, bool StorageReachable);

/// <summary>The route use case: validate, pick the policy, embed, decide, record.</summary>
public sealed class RouteQuery(RoutingService routing, ProfileHolder profiles, IOptions<RouterOptions> options)
{
    public async Task<Outcome<RouteResult>> RouteAsync(RouteCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Validate(command, options.Value) is { } invalid)
        {
            return invalid;
        }

        var policy = new RoutingPolicy
        {
            CostWeight = command.CostWeight ?? options.Value.DefaultCostWeight,
            QualityBand = command.QualityBand,
            MaxCost = command.MaxCost,
        };
        if (policy.Validate() is { } bad)
        {
            return UseCaseError.Invalid(bad.Field, bad.Problem);
        }

        if (profiles.Current is not { } router)
        {
            return UseCaseError.NotReady("The first profile is still being trained or loaded; retry shortly (GET /api/health shows progress).");
        }

        var unknown = command.AllowedModels is null ? [] : router.UnknownModels(command.AllowedModels).ToList();
        if (unknown.Count > 0)
        {
            return UseCaseError.Invalid("allowedModels", $"unknown model(s): {string.Join(", ", unknown)}; GET /api/profiles/current lists the models");
        }

        if (!router.AnyEnabled(command.AllowedModels))
        {
            return UseCaseError.Invalid("allowedModels", "none of these models is enabled");
        }

        var routed = await routing.RouteAsync(router, command.Query!, policy, command.AllowedModels, cancellationToken);
        return new RouteResult(routed, profiles.StorageReachable);
    }

    private static UseCaseError? Validate(RouteCommand command, RouterOptions options)
    {
        if (string.IsNullOrWhiteSpace(command.Query))
        {
            return UseCaseError.Invalid("query", "is required and must not be empty or whitespace");
        }

        if (Encoding.UTF8.GetByteCount(command.Query) > options.MaxQueryBytes)
        {
            return UseCaseError.Invalid("query", $"is longer than {options.MaxQueryBytes} bytes (UTF-8)");
        }

        if (command.AllowedModels is { Count: 0 })
        {
            return UseCaseError.Invalid("allowedModels", "must name at least one model when present");
        }

        return command.AllowedModels?.Any(string.IsNullOrWhiteSpace) == true
            ? UseCaseError.Invalid("allowedModels", "must not contain empty names")
            : null;
    }
}
