namespace RouterFunctions.Chat;

/// <summary>
/// Where failover reports a model that failed a request (429, 5xx, timeout, transport error), once per failed
/// attempt, before the next model is tried (or, for a stream that breaks after its first update, before the error
/// propagates). The router records it as 'failed' feedback for that model on the routed request. A sink that throws
/// is logged and otherwise ignored: losing a report must not lose the answer.
/// </summary>
public interface IModelFailureSink
{
    /// <param name="requestId">The routed request the failure belongs to (<see cref="ChatRoute.RequestId"/>), or null
    /// for a call that named its model and so was not routed: there is no decision to attribute it to.</param>
    Task RecordFailureAsync(string? requestId, string model, Exception failure, CancellationToken cancellationToken);
}
