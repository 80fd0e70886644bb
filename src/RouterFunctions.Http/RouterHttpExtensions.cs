using RouterFunctions.Http.Endpoints;
using RouterFunctions.Http.OpenAi;
using RouterFunctions.Http.Security;

namespace RouterFunctions.Http;

/// <summary>What every HTTP host of the router registers and maps.</summary>
public static class RouterHttpExtensions
{
    /// <summary>ProblemDetails for every error, per-caller rate limits, optional Entra ID tokens, telemetry.</summary>
    /// <returns>Whether Entra ID authentication is on (the host then adds the authentication middleware).</returns>
    public static bool AddRouterHttp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails();
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddRouterTelemetry(configuration);
        services.AddCallerRateLimiting(configuration);
        return services.AddOptionalEntraAuthentication(configuration);
    }

    /// <summary>The middleware every HTTP host runs before the endpoints, in order.</summary>
    public static void UseRouterHttp(this IApplicationBuilder app, bool entraAuthentication)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<BodySizeLimit>();
        if (entraAuthentication)
        {
            app.UseAuthentication();
        }

        app.UseAuthorization();
        app.UseRateLimiter();
    }

    /// <summary>
    /// The HTTP surface of the Functions app on a plain ASP.NET Core host (the local router): the same handlers, the
    /// same routes (/api/…; the OpenAI routes under /v1 as clients expect, and /api/v1 as deployed).
    /// </summary>
    public static void MapRouterApi(this IEndpointRouteBuilder app)
    {
        // Open: readiness and health.
        app.MapGet("/", StatusApi.Ready);
        app.MapGet("/api/health", StatusApi.Health);

        // Callers' API: per-caller rate limits, and Entra ID tokens when configured.
        var callers = app.MapGroup("").RequireRateLimiting(CallerRateLimiting.Policy).RequireAuthorization(EntraAuthentication.Policy);
        foreach (var prefix in new[] { "/v1", "/api/v1" })
        {
            callers.MapPost(prefix + "/chat/completions", ChatCompletionsApi.HandleAsync);
            callers.MapGet(prefix + "/models", ChatCompletionsApi.ListModels);
        }

        var api = callers.MapGroup("/api");
        api.MapPost("/route", RouteApi.HandleAsync);
        api.MapPost("/feedback", FeedbackApi.SubmitAsync);
        api.MapGet("/profiles/current", StatusApi.CurrentProfile);
        api.MapPost("/retrain", StatusApi.RetrainAsync);
        api.MapGet("/retrains", StatusApi.RetrainsAsync);
        api.MapGet("/stats", StatusApi.StatsAsync);
        api.MapPost("/aggregate", AggregationApi.StartAsync);
        api.MapGet("/aggregate/{id}", AggregationApi.StatusAsync);
    }
}
