using RouterFunctions.Core.Feedback;

namespace RouterFunctions.Application.Tests.Fakes;

/// <summary>A decision log whose storage is down: every call throws what a table outage throws.</summary>
internal sealed class FailingDecisionLog : IDecisionLog
{
    public const string Error = "table service unreachable (test)";

    public Task RecordAsync(DecisionRecord decision, CancellationToken cancellationToken) => throw new IOException(Error);

    public Task<DecisionRecord?> GetAsync(string requestId, CancellationToken cancellationToken) => throw new IOException(Error);

    public IAsyncEnumerable<DecisionRecord> ListAsync(CancellationToken cancellationToken) => throw new IOException(Error);
}
