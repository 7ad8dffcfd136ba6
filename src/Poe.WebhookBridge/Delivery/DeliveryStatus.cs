namespace Poe.WebhookBridge.Delivery;

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>Kept, not attempted, while its endpoint is disabled; pending again when the endpoint is enabled.</summary>
    public const string Held = "held";

    /// <summary>Every <c>delivery.status</c> an event can show.</summary>
    public static readonly string[] All = [Pending, Delivered, Failed, Held];
}
