using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouterFunctions.Core.Profiles;

using RouterFunctions.Storage;

namespace RouterFunctions.Application;

/// <summary>
/// Polls the current-profile pointer (one small read) and swaps in a new version without a restart. When storage
/// does not answer, the router keeps the last-known profile and says so in responses and /api/health.
/// </summary>
public sealed partial class ProfileWatcher(
    IProfileStore store,
    ProfileHolder holder,
    ProfileStartup startup,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<ProfileWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await startup.Completion.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ProfilePollSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await CheckAsync(stoppingToken);
        }
    }

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var version = await store.GetCurrentVersionAsync(cancellationToken);
            if (version is { } v && v != holder.Current?.Profile.Version && await store.GetCurrentAsync(cancellationToken) is { } profile)
            {
                holder.Set(profile);
                LogSwapped(logger, profile.Version);
            }

            holder.StorageOk();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (holder.StorageReachable)
            {
                LogUnreachable(logger, holder.Current?.Profile.Version, e.Message);
            }

            holder.StorageFailed(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Now routing on profile v{Version}")]
    private static partial void LogSwapped(ILogger logger, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Profile storage is unreachable; routing on the last-known profile v{Version}: {Error}")]
    private static partial void LogUnreachable(ILogger logger, int? version, string error);
}
