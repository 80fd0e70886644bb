using Microsoft.Azure.Functions.Worker;
using RouterFunctions.Application.Retention;

namespace RouterFunctions.Functions;

/// <summary>The hourly retention purge: a timer trigger runs on one instance at a time, so instances never race to delete.</summary>
public sealed class RetentionFunctions(PurgeExpired purge)
{
    /// <summary>At minute 17 of every hour (NCRONTAB with seconds): off the hour, when other schedules fire.</summary>
    public const string Schedule = "0 17 * * * *";

    [Function("RetentionPurge")]
    public Task PurgeAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) => purge.RunAsync(cancellationToken);
}
