using Poe.WebhookBridge.Delivery;

namespace Poe.WebhookBridge.Watches;

internal static class WatchesSetup
{
    public static WebApplicationBuilder AddWatches(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<WatchRegistrar>();
        builder.Services.AddSingleton<WatchInserts>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WatchInserts>());
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<WatchResponseWriter>();
        builder.Services.AddSingleton<CallbackAddressGuard>();
        builder.Services.AddSingleton<CallbackUrlValidator>();
        return builder;
    }
}
