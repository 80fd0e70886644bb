using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace RouterFunctions.Http.Security;

/// <summary>
/// Optional Entra ID bearer tokens on top of the host's function keys: with Auth:Authority and Auth:Audience set,
/// every API call needs a valid token (401 ProblemDetails otherwise); the readiness probe and health stay open.
/// </summary>
public static class EntraAuthentication
{
    public const string Policy = "api";

    public static bool AddOptionalEntraAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var authority = configuration["Auth:Authority"];
        var audience = configuration["Auth:Audience"];
        var enabled = !string.IsNullOrWhiteSpace(authority) && !string.IsNullOrWhiteSpace(audience);
        var authentication = enabled ? services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme) : services.AddAuthentication();
        if (enabled)
        {
            authentication.AddJwtBearer(jwt =>
            {
                jwt.Authority = authority;
                jwt.Audience = audience;
                jwt.MapInboundClaims = false;
                jwt.Events = new JwtBearerEvents
                {
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        await TypedResults.Problem(
                            detail: "A valid Entra ID bearer token for this API is required.",
                            statusCode: StatusCodes.Status401Unauthorized,
                            title: "Unauthorized.").ExecuteAsync(context.HttpContext);
                    },
                };
            });
        }

        services.AddAuthorization(authorization => authorization.AddPolicy(Policy, policy =>
        {
            if (enabled)
            {
                policy.RequireAuthenticatedUser();
            }
            else
            {
                policy.RequireAssertion(_ => true);
            }
        }));
        return enabled;
    }
}

/// <summary>Whether Entra ID bearer tokens are required (hosts that check them themselves read it).</summary>
public sealed record EntraAuthenticationState(bool Enabled);
