using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouterFunctions.Storage;

namespace RouterFunctions.Application.Retention;

/// <summary>Runs <see cref="PurgeExpired"/> at start and every Storage:PurgeIntervalMinutes; a failed purge is retried at the next tick.</summary>
public sealed partial class PurgeTimer(PurgeExpired purge, IOptions<StorageOptions> options, TimeProvider time, ILogger<PurgeTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.PurgeIntervalMinutes), time);
        do
        {
            try
            {
                await purge.RunAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention purge failed (retried at the next interval): {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
