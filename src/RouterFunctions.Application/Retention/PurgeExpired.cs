using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouterFunctions.Core.Feedback;
using RouterFunctions.Storage;

namespace RouterFunctions.Application.Retention;

/// <summary>The last purge: when, the cutoff, how many records went.</summary>
public sealed record PurgeOutcome(DateTimeOffset At, DateTimeOffset Cutoff, long Deleted);

/// <summary>
/// The retention use case: removes from every <see cref="IRetainedStore"/> (decisions, feedback keys) what is older
/// than Storage:DecisionRetentionDays. Feedback for a purged decision then gets 410.
/// </summary>
public sealed partial class PurgeExpired(IEnumerable<IRetainedStore> stores, IOptions<StorageOptions> options, TimeProvider time, ILogger<PurgeExpired> logger)
{
    public PurgeOutcome? Last { get; private set; }

    public async Task<PurgeOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(options.Value.DecisionRetentionDays);
        long deleted = 0;
        foreach (var store in stores)
        {
            deleted += await store.PurgeBeforeAsync(cutoff, cancellationToken);
        }

        LogPurged(logger, deleted, cutoff);
        return Last = new PurgeOutcome(now, cutoff, deleted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge: {Deleted} records older than {Cutoff:O} deleted")]
    private static partial void LogPurged(ILogger logger, long deleted, DateTimeOffset cutoff);
}
