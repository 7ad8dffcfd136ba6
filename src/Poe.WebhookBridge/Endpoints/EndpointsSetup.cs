namespace Poe.WebhookBridge.Endpoints;

internal static class EndpointsSetup
{
    public static WebApplicationBuilder AddEndpointHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EndpointHealth>();
        builder.Services.AddSingleton<EndpointQueries>();
        builder.Services.AddSingleton<DisabledEndpointsGauge>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DisabledEndpointsGauge>());
        return builder;
    }
}
