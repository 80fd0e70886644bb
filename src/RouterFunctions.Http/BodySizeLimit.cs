using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using RouterFunctions.Application;

namespace RouterFunctions.Http;

/// <summary>
/// Rejects oversized bodies with a 413 ProblemDetails before anything reads them. A declared length is checked here;
/// a chunked body is cut off by the server's limit, set from the same option (Kestrel answers that with 413 too).
/// </summary>
internal sealed class BodySizeLimit(RequestDelegate next, IOptions<RouterOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return TypedResults.Problem(
                detail: $"The body is larger than {limit} bytes.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request is too large.").ExecuteAsync(context);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}
