using RouterFunctions.Application;
using RouterFunctions.Application.Configuration;
using RouterFunctions.Http;
using RouterFunctions.Local;
using RouterFunctions.Messaging.Local;

// The local router: the Functions app's HTTP surface on one plain ASP.NET Core process, with the queue consumers
// running over in-process queues. The same use cases and handlers as deployed; no cloud.
// Bad configuration ends it with one line on stderr and exit code 2 (StartupGuard).
return StartupGuard.RunOrExplain(() =>
{
    // The content root is the app's own folder (its appsettings.json) wherever it is started from; relative paths in
    // the settings resolve against the current directory instead (RelativePathBase), which `dotnet run` leaves where
    // the user stands (RunWorkingDirectory in the project file).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    // --Config FILE (or the environment variable Config): one more JSON configuration file, e.g. config/local-simulated.json.
    if (ConfigFile.Add(builder.Configuration, args, RelativePathBase.Current()) is { } badConfigFile)
    {
        throw new ConfigurationException(badConfigFile);
    }

    builder.Services.AddRouterApplication(builder.Configuration);
    builder.Services.AddLocalMessaging();
    builder.Services.AddHostedService<QueueDispatcher>();
    builder.Services.AddHostedService<RouterFunctions.Application.Retention.PurgeTimer>();
    var entraAuth = builder.Services.AddRouterHttp(builder.Configuration);

    var app = builder.Build();
    app.UseRouterHttp(entraAuth);
    app.MapRouterApi();
    // The dashboard: one static page over /api/stats and /api/health (local router only).
    app.MapGet("/dashboard", Dashboard.Page);
    return app;
});

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
