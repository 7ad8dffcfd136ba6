namespace Poe.WebhookBridge.Delivery.Recovery;

internal static class RecoveriesSetup
{
    public static WebApplicationBuilder AddRecoveries(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RecoverySql>();
        return builder;
    }
}
