using Microsoft.Extensions.Hosting;
using RouterFunctions.Storage.Stores;

namespace RouterFunctions.Application.Retention;

/// <summary>Runs the write-behind decision buffer's writer, and empties the buffer when the host stops.</summary>
public sealed class DecisionFlusher(WriteBehindDecisionLog decisions, ProfileHolder profiles) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A failing flush is what a failing awaited write used to be: storage is reported unreachable in /api/health.
        decisions.StorageStatus = error =>
        {
            if (error is null)
            {
                profiles.StorageOk();
            }
            else
            {
                profiles.StorageFailed(error);
            }
        };
        return decisions.RunAsync(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await decisions.FlushAsync(cancellationToken); // bounded by the host's shutdown timeout
    }
}
