using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RouterFunctions.Application;
using RouterFunctions.Functions;
using RouterFunctions.Http;
using RouterFunctions.Http.Security;
using RouterFunctions.Messaging;

// The deployed HTTP app on the isolated worker: HTTP and timer functions over the application's use cases, sending
// to Service Bus through the SDK. The Service Bus consumers run in the workers app (src/RouterFunctions.Workers).
// Bad configuration ends it with one line on stderr and exit code 2 (StartupGuard), which the Functions host logs.
return StartupGuard.RunOrExplain(() =>
{
    var builder = FunctionsApplication.CreateBuilder(args);
    builder.ConfigureFunctionsWebApplication();
    builder.UseMiddleware<HttpGuards>();
    builder.Services.AddRouterApplication(builder.Configuration);
    builder.Services.AddServiceBusMessaging(builder.Configuration);
    builder.Services.AddSingleton(new EntraAuthenticationState(builder.Services.AddRouterHttp(builder.Configuration)));
    builder.Services.AddSingleton<HttpGuards>();
    return builder.Build();
});
