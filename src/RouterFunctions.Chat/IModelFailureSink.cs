namespace RouterFunctions.Chat;

/// <summary>
/// Where failover reports a model that failed a request (429, 5xx, timeout, transport error), once per failed
/// attempt, before the next model is tried (or, for a stream that breaks after its first update, before the error
/// propagates). The router records it as 'failed' feedback for that model. A sink that
/// throws is logged and otherwise ignored: losing a report must not lose the answer.
/// </summary>
public interface IModelFailureSink
{
    Task RecordFailureAsync(string model, Exception failure, CancellationToken cancellationToken);
}
