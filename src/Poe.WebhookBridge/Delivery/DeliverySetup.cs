namespace Poe.WebhookBridge.Delivery;

internal static class DeliverySetup
{
    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<DeliveryDispatcher>();
        services.AddSingleton<CallbackConnector>();
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<OutboxClaims>();
        services.AddSingleton<DeliveryPump>();

        // Hosted services stop in reverse order: attempts in flight finish first, then the recorder stores them.
        services.AddSingleton<AttemptRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<AttemptRecorder>());
        services.AddSingleton<InFlightDeliveries>();
        services.AddHostedService(sp => sp.GetRequiredService<InFlightDeliveries>());

        services.AddHttpClient<WebhookSender>(http =>
            {
                // Each attempt has its own time-out (Webhooks:Timeout), which tells a time-out from a shutdown.
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestVersion = System.Net.HttpVersion.Version11;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                ConnectCallback = sp.GetRequiredService<CallbackConnector>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(1),
                MaxConnectionsPerServer = DeliveryCapacity.MaxPerHost,
            })
            .RemoveAllLoggers();
        return builder;
    }
}
