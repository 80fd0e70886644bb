using RouterFunctions.Application;
using RouterFunctions.Http;
using RouterFunctions.Local;
using RouterFunctions.Messaging.Local;

// The local router: the Functions app's HTTP surface on one plain ASP.NET Core process, with the queue consumers
// running over in-process queues. The same use cases and handlers as deployed; no cloud.
var builder = WebApplication.CreateBuilder(args);
// --Config FILE (or the environment variable Config): one more JSON configuration file, e.g. config/local-simulated.json
// (see ConfigFile.Resolve for relative paths). It goes over appsettings; the environment and the command line are
// added again after it, so they still win, as they do over appsettings.
if (builder.Configuration["Config"] is { Length: > 0 } configFile)
{
    builder.Configuration.AddJsonFile(ConfigFile.Resolve(configFile), optional: false, reloadOnChange: false);
    builder.Configuration.AddEnvironmentVariables();
    builder.Configuration.AddCommandLine(args);
}

builder.Services.AddRouterApplication(builder.Configuration);
builder.Services.AddLocalMessaging();
builder.Services.AddHostedService<QueueDispatcher>();
var entraAuth = builder.Services.AddRouterHttp(builder.Configuration);

var app = builder.Build();
app.UseRouterHttp(entraAuth);
app.MapRouterApi();
// The dashboard: one static page over /api/stats and /api/health (local router only).
app.MapGet("/dashboard", Dashboard.Page);
app.Run();

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
