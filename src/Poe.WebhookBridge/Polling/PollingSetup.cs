namespace Poe.WebhookBridge.Polling;

internal static class PollingSetup
{
    public static WebApplicationBuilder AddPolling(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PoeKeyRing>();
        return builder;
    }
}
