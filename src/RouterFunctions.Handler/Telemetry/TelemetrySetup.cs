using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RouterFunctions.Hosting;

namespace RouterFunctions.Handler.Telemetry;

/// <summary>
/// OpenTelemetry for the handler: ASP.NET Core, outbound HTTP and the router's own traces and metrics. Exported to
/// Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set (with the managed identity: the component's local
/// auth is off), to OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, and as metrics on the console with Telemetry:Console.
/// </summary>
internal static class TelemetrySetup
{
    public static void AddRouterTelemetry(this WebApplicationBuilder builder)
    {
        var appInsights = builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var otlp = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var console = builder.Configuration.GetValue("Telemetry:Console", false);
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = builder.Configuration["AZURE_CLIENT_ID"] });
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(RouterTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (!string.IsNullOrEmpty(appInsights))
                {
                    metrics.AddAzureMonitorMetricExporter(o => (o.ConnectionString, o.Credential) = (appInsights, credential));
                }

                if (!string.IsNullOrEmpty(otlp))
                {
                    metrics.AddOtlpExporter();
                }

                if (console)
                {
                    metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 60_000);
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(RouterTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (!string.IsNullOrEmpty(appInsights))
                {
                    tracing.AddAzureMonitorTraceExporter(o => (o.ConnectionString, o.Credential) = (appInsights, credential));
                }

                if (!string.IsNullOrEmpty(otlp))
                {
                    tracing.AddOtlpExporter();
                }
            });
    }
}
