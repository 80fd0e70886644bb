using RouterFunctions.Application;
using RouterFunctions.Http;
using RouterFunctions.Messaging;
using RouterFunctions.Workers.Functions;

// The Service Bus consumers as an Azure Functions custom handler: the host runs the triggers (extension bundle) and
// calls POST /{FunctionName} over local HTTP; follow-up messages go out through the Service Bus SDK.
// Bad configuration ends it with one line on stderr and exit code 2 (StartupGuard), which the host's log shows.
return StartupGuard.RunOrExplain(() =>
{
    var builder = WebApplication.CreateBuilder(args);
    if (Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { } port)
    {
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
    }

    builder.Services.AddRouterApplication(builder.Configuration);
    builder.Services.AddServiceBusMessaging(builder.Configuration);
    builder.Services.AddSingleton<FunctionInvoker>();
    builder.Services.AddProblemDetails();
    builder.Services.AddRouterTelemetry(builder.Configuration);

    var app = builder.Build();
    app.UseExceptionHandler();
    app.MapGet("/", () => TypedResults.Ok(new { service = "RouterFunctions.Workers", status = "up" }));
    app.MapHostFunctions();
    return app;
});

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
