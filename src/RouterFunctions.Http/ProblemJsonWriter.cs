using System.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace RouterFunctions.Http;

/// <summary>
/// ProblemDetails for every error, whatever the request's Accept header says. The default writer declines a request
/// whose Accept names no JSON type (text/html, application/xml): 404 and 405 then come back as text/plain from the
/// status code pages, and a handled exception without a body. Registered after the default, this one takes what it
/// declines.
/// </summary>
internal sealed class ProblemJsonWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", http.RequestAborted));
    }
}
