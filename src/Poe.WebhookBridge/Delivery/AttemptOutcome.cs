namespace Poe.WebhookBridge.Delivery;

/// <summary>The <c>outcome</c> label of <c>bridge_webhook_attempts_total</c>.</summary>
public static class AttemptOutcome
{
    public const string Delivered = "delivered";
    public const string FailedStatus = "failed_status";
    public const string Gone = "gone";
    public const string Timeout = "timeout";
    public const string ConnectionError = "connection_error";
    public const string Refused = "refused";
}
