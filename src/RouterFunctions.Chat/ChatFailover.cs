using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RouterFunctions.Chat;

/// <summary>Makes the per-request <see cref="FailoverChatClient"/> over the configured backends (a singleton).</summary>
public sealed class ChatFailover(ChatBackends backends, IModelFailureSink failures, IOptions<FailoverOptions> options, ILogger<FailoverChatClient> logger)
{
    public ChatBackends Backends { get; } = backends;

    /// <summary>A client that tries <paramref name="rankedModels"/> (best first) within <see cref="FailoverOptions.MaxAttempts"/>, or <paramref name="maxAttempts"/>.</summary>
    public FailoverChatClient For(IEnumerable<string> rankedModels, int? maxAttempts = null) =>
        new(Backends.Clients, rankedModels, failures, maxAttempts ?? options.Value.MaxAttempts, logger);
}
