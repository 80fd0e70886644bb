using Microsoft.Extensions.Options;
using RouterFunctions.Handler;
using RouterFunctions.Handler.Aggregation;
using RouterFunctions.Handler.Endpoints;
using RouterFunctions.Handler.Functions;
using RouterFunctions.Handler.Local;
using RouterFunctions.Handler.OpenAi;
using RouterFunctions.Handler.Security;
using RouterFunctions.Handler.Telemetry;
using RouterFunctions.Chat;
using RouterFunctions.Hosting;
using RouterFunctions.Storage;

var builder = WebApplication.CreateBuilder(args);

// Under the Functions host, listen where it says; locally, wherever --urls / ASPNETCORE_URLS say.
if ((Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") ?? Environment.GetEnvironmentVariable("FUNCTIONS_HTTPWORKER_PORT")) is { } port)
{
    builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
}

builder.Services.AddProblemDetails();
builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddRouterFunctions(builder.Configuration);
builder.Services.AddSingleton<ProfileStartup>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ProfileStartup>());
builder.Services.AddHostedService<ProfileWatcher>();
builder.Services.AddSingleton<FeedbackIntake>();
builder.Services.AddSingleton<FeedbackIngestion>();
builder.Services.AddSingleton<RetrainRunner>();
builder.Services.AddSingleton<FunctionInvoker>();
builder.Services.AddSingleton<FeedbackPublisher>();
builder.Services.AddSingleton<RoutingService>();
builder.Services.AddSingleton<IModelFailureSink, UnattributedFailures>();
builder.Services.AddChatBackends(builder.Configuration);
builder.Services.AddOptions<AggregationSettings>().Bind(builder.Configuration.GetSection(AggregationSettings.SectionName))
    .ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<AggregationService>();
builder.Services.AddSingleton<LocalQueues>();
builder.Services.AddHostedService<QueueDispatcher>();
builder.AddRouterTelemetry();
builder.Services.AddCallerRateLimiting(builder.Configuration);
var entraAuth = builder.Services.AddOptionalEntraAuthentication(builder.Configuration);

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<BodySizeLimit>();
if (entraAuth)
{
    app.UseAuthentication();
}

app.UseAuthorization();
app.UseRateLimiter();

// Open: the Functions host's readiness probe (any answer means ready), health, and the host's own invocations.
app.MapGet("/", () => TypedResults.Ok(new { service = "RouterFunctions", status = "up" }));
app.MapGet("/api/health", StatusEndpoints.Health);
app.MapHostFunctions();

// Callers' API: per-caller rate limits, and Entra ID tokens when configured.
var callers = app.MapGroup("").RequireRateLimiting(CallerRateLimiting.Policy).RequireAuthorization(EntraAuthentication.Policy);
callers.MapOpenAi();
var api = callers.MapGroup("/api");
api.MapPost("/route", RouteApi.HandleAsync);
api.MapGet("/profiles/current", StatusEndpoints.CurrentProfile);
api.MapRetrain();
api.MapAggregateStatus();
if (app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Mode == StorageMode.Local)
{
    api.MapLocalFeedback();
    api.MapLocalAggregate();
}

app.Run();

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
