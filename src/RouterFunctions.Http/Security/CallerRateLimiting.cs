using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;

namespace RouterFunctions.Http.Security;

/// <summary>Per-caller request limits (section "RateLimit"); 0 turns them off.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    [Range(0, 1_000_000)]
    public int PermitsPerMinute { get; set; } = 3000;
}

/// <summary>
/// A token bucket per caller key: the signed-in subject, else the function key the host was given (x-functions-key or
/// ?code=), else the client address. Rejections are 429 ProblemDetails with Retry-After. The host's invocation routes
/// (POST /{Function}) are not limited: that traffic is the host's, already admitted.
/// </summary>
public static class CallerRateLimiting
{
    public const string Policy = "per-caller";

    public static void AddCallerRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => new ValueTask(RejectAsync(context.HttpContext, context.Lease, options));
            limiter.AddPolicy(Policy, context => Partition(context, options));
        });
    }

    /// <summary>The same limits as one limiter, for hosts without ASP.NET Core's rate-limiting middleware (the isolated worker).</summary>
    public static PartitionedRateLimiter<HttpContext> CreateLimiter(RateLimitOptions options) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, options));

    /// <summary>The 429 ProblemDetails, with Retry-After when the limiter knows it.</summary>
    public static Task RejectAsync(HttpContext context, RateLimitLease lease, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(options);
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(
            detail: $"More than {options.PermitsPerMinute} requests a minute from this caller.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests.").ExecuteAsync(context);
    }

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions options) => options.PermitsPerMinute <= 0
        ? RateLimitPartition.GetNoLimiter("off")
        : RateLimitPartition.GetTokenBucketLimiter(CallerKey(context), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.PermitsPerMinute,
            TokensPerPeriod = options.PermitsPerMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static string CallerKey(HttpContext context) =>
        context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } subject ? "sub:" + subject
        : context.Request.Headers["x-functions-key"].FirstOrDefault() is { Length: > 0 } key ? "key:" + key.GetHashCode(StringComparison.Ordinal)
        : context.Request.Query["code"].FirstOrDefault() is { Length: > 0 } code ? "key:" + code.GetHashCode(StringComparison.Ordinal)
        : "ip:" + context.Connection.RemoteIpAddress;
}
