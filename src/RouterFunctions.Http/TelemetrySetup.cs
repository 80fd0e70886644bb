using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RouterFunctions.Application;

namespace RouterFunctions.Http;

/// <summary>
/// OpenTelemetry for the handler: ASP.NET Core, outbound HTTP and the router's own traces and metrics. Exported to
/// Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set (with the managed identity: the component's local
/// auth is off), to OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, and as metrics on the console with Telemetry:Console.
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddRouterTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var appInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var otlp = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var console = configuration.GetValue("Telemetry:Console", false);
        // The exporter reads its options from the container, so it signs in with the application's one credential.
        services.AddOptions<AzureMonitorExporterOptions>().Configure<TokenCredential>((o, credential) => (o.ConnectionString, o.Credential) = (appInsights, credential));
        services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(RouterTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (!string.IsNullOrEmpty(appInsights))
                {
                    metrics.AddAzureMonitorMetricExporter();
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
                    tracing.AddAzureMonitorTraceExporter();
                }

                if (!string.IsNullOrEmpty(otlp))
                {
                    tracing.AddOtlpExporter();
                }
            });
        return services;
    }
}
