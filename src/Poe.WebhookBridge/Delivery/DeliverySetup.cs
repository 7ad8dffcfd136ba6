namespace Poe.WebhookBridge.Delivery;

internal static class DeliverySetup
{
    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeliveryDispatcher>();
        return builder;
    }
}
