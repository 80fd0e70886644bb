using Microsoft.AspNetCore.Diagnostics;

namespace RouterFunctions.Http;

/// <summary>
/// Kestrel's request errors (body too large, malformed request) keep their 4xx status as ProblemDetails; anything
/// else is a 500 ProblemDetails without internals.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var status = exception switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            // Kestrel throws a few malformed bodies (a chunk size that overflows) as a bare IOException.
            IOException when exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) == true
                => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status500InternalServerError,
        };
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = status < 500 ? "The request could not be read." : "The router failed to handle the request.",
                Detail = status < 500 ? exception.Message : null,
            },
        });
    }
}
