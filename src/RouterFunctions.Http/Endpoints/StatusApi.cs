using RouterFunctions.Application;
using RouterFunctions.Application.Retraining;
using RouterFunctions.Application.Status;
using RouterFunctions.Core.Profiles;

namespace RouterFunctions.Http.Endpoints;

/// <summary>The read-only views and the forced retrain.</summary>
public static class StatusApi
{
    /// <summary>GET / (the Functions host's readiness probe: any answer means ready).</summary>
    public static IResult Ready() => TypedResults.Ok(new { service = "RouterFunctions", status = "up" });

    /// <summary>GET /api/health.</summary>
    public static IResult Health(StatusViews views)
    {
        ArgumentNullException.ThrowIfNull(views);
        return TypedResults.Json(views.Health(), ApplicationJson.Web);
    }

    /// <summary>GET /api/stats: decisions (this instance), feedback and retrains (shared stores), backend health.</summary>
    public static async Task<IResult> StatsAsync(StatsView stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return TypedResults.Json(await stats.ReadAsync(cancellationToken), ApplicationJson.Answers);
    }

    /// <summary>GET /api/profiles/current: the whole profile the router uses now.</summary>
    public static IResult CurrentProfile(StatusViews views)
    {
        ArgumentNullException.ThrowIfNull(views);
        var profile = views.CurrentProfile();
        return profile.Succeeded ? TypedResults.Json(profile.Value, ProfileJson.Options) : Problems.From(profile.Error);
    }

    /// <summary>GET /api/retrains: the last 50 retrains, newest first.</summary>
    public static async Task<IResult> RetrainsAsync(StatusViews views, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(views);
        return TypedResults.Json(await views.RetrainsAsync(50, cancellationToken), ApplicationJson.Answers);
    }

    /// <summary>POST /api/retrain: runs a retrain now and answers its outcome.</summary>
    public static async Task<IResult> RetrainAsync(RetrainRunner retrain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retrain);
        return TypedResults.Json(await retrain.RunAsync("requested over HTTP", cancellationToken), ApplicationJson.Answers);
    }
}
