using Microsoft.Extensions.Logging;
using RouterFunctions.Chat;

namespace RouterFunctions.Application.Chat;

/// <summary>
/// The container's failure sink, for failover outside a routed request (none today: routed requests bring their own
/// <see cref="FailureFeedbackSink"/>). Without a request to attribute the failure to, it is only logged.
/// </summary>
public sealed partial class UnattributedFailures(ILogger<UnattributedFailures> logger) : IModelFailureSink
{
    public Task RecordFailureAsync(string model, Exception failure, CancellationToken cancellationToken)
    {
        LogFailure(logger, model, ChatFailurePolicy.Describe(failure));
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} failed: {Reason}")]
    private static partial void LogFailure(ILogger logger, string model, string reason);
}
