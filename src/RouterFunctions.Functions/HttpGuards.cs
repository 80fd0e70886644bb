using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;
using RouterFunctions.Application;
using RouterFunctions.Http.Security;

namespace RouterFunctions.Functions;

/// <summary>
/// What the local router's ASP.NET Core middleware does, as one worker middleware (the isolated worker runs no
/// ASP.NET Core pipeline of ours): a 413 for a body over the limit, then, except for the open functions, an Entra ID
/// bearer token when configured and the per-caller rate limit — the same options, limiter and ProblemDetails.
/// The host has already checked the function key.
/// </summary>
internal sealed class HttpGuards : IFunctionsWorkerMiddleware, IDisposable
{
    /// <summary>Functions any caller may reach: health checks must work without a key or token.</summary>
    public static IReadOnlySet<string> Open { get; } = new HashSet<string>(StringComparer.Ordinal) { "Health" };

    private readonly RouterOptions _router;
    private readonly RateLimitOptions _limits;
    private readonly bool _entra;
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public HttpGuards(IOptions<RouterOptions> router, IOptions<RateLimitOptions> limits, EntraAuthenticationState entra)
    {
        _router = router.Value;
        _limits = limits.Value;
        _entra = entra.Enabled;
        _limiter = CallerRateLimiting.CreateLimiter(_limits);
    }

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is not { } http)
        {
            await next(context); // the timer
            return;
        }

        if (http.Request.ContentLength > _router.MaxRequestBodyBytes)
        {
            await TypedResults.Problem(
                detail: $"The body is larger than {_router.MaxRequestBodyBytes} bytes.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request is too large.").ExecuteAsync(http);
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = _router.MaxRequestBodyBytes;
        }

        if (!Open.Contains(context.FunctionDefinition.Name))
        {
            if (_entra)
            {
                var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
                if (!result.Succeeded)
                {
                    await http.ChallengeAsync(JwtBearerDefaults.AuthenticationScheme);
                    return;
                }

                http.User = result.Principal;
            }

            using var lease = await _limiter.AcquireAsync(http, 1, context.CancellationToken);
            if (!lease.IsAcquired)
            {
                await CallerRateLimiting.RejectAsync(http, lease, _limits);
                return;
            }
        }

        await next(context);
    }

    public void Dispose() => _limiter.Dispose();
}
