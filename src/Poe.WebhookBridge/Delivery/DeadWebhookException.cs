namespace Poe.WebhookBridge.Delivery;

/// <summary>Why a webhook is dead, as the dashboard shows it.</summary>
public sealed class DeadWebhookException : Exception
{
    public DeadWebhookException()
    {
    }

    public DeadWebhookException(string message)
        : base(message)
    {
    }

    public DeadWebhookException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
