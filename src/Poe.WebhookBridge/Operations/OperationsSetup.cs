using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Poe.WebhookBridge.Operations.OpenApi;

namespace Poe.WebhookBridge.Operations;

internal static class OperationsSetup
{
    private const string ReadyTag = "ready";

    /// <summary>
    /// A readiness check that has no answer by then fails: a database that stopped answering (a partition drops packets
    /// without a reset) makes /health/ready say 503 at once instead of waiting for the statement's own time-out.
    /// </summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: CheckTimeout)
            .AddCheck<HangfireServerHealthCheck>("hangfire", tags: [ReadyTag], timeout: CheckTimeout)
            .AddCheck<PoeKeyHealthCheck>("poe_key", tags: [ReadyTag], timeout: CheckTimeout);
        builder.AddBridgeOpenApi();
        builder.AddBridgeDashboard();
        builder.Services.AddSingleton<BridgeMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(BridgeMetrics.MeterName).AddPrometheusExporter();
            ((IDeferredMeterProviderBuilder)metrics).Configure((services, provider) => provider.AddView(OwnInstrumentsOnly(services.GetRequiredService<IMeterFactory>())));
        });
        return builder;
    }

    /// <summary>
    /// Meters are process-wide: OpenTelemetry listens by meter name, so a second bridge host in one process (a test
    /// fixture, an embedding app) would merge its instruments into this one's, and an observable gauge would read the
    /// other host's value. Only the instruments of this host's meter factory are exported.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OwnInstrumentsOnly(IMeterFactory own) =>
        instrument => ReferenceEquals(instrument.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop;

    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteReport });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteReport });
        app.MapBridgeOpenApi();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapBridgeDashboard();
        return app;
    }

    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}
