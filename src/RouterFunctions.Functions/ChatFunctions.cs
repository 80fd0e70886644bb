using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RouterFunctions.Application;
using RouterFunctions.Application.Chat;
using RouterFunctions.Chat;
using RouterFunctions.Http.OpenAi;

namespace RouterFunctions.Functions;

/// <summary>The OpenAI-compatible API under /api/v1 (streaming through the ASP.NET Core integration).</summary>
public sealed class ChatFunctions(ChatCompletions chat, ChatBackends backends, IOptions<RouterOptions> options, TimeProvider time)
{
    [Function("ChatCompletions")]
    public Task<IResult> CompleteAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/chat/completions")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChatCompletionsApi.HandleAsync(request.HttpContext, chat, options, time, cancellationToken);
    }

    [Function("Models")]
    public IResult List([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/models")] HttpRequest request) =>
        ChatCompletionsApi.ListModels(backends, options);
}
