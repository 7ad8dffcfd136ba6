namespace Poe.WebhookBridge.Delivery;

/// <summary>An attempt and the state it leaves its event in, waiting to be written in one transaction.</summary>
public sealed record AttemptWriteback(ClaimedEvent Event, AttemptResult Result, string NewStatus, DateTimeOffset? NextAttemptAt)
{
    public bool IsDead => NewStatus == DeliveryStatus.Failed && !Result.Gone;

    /// <summary>2xx delivers; 410 ends the event and its watch; anything else retries on the schedule until it is dead.</summary>
    public static AttemptWriteback Decide(ClaimedEvent webhook, AttemptResult result, RetryPolicy retry)
    {
        if (result.Delivered)
        {
            return new AttemptWriteback(webhook, result, DeliveryStatus.Delivered, null);
        }

        if (result.Gone)
        {
            return new AttemptWriteback(webhook, result, DeliveryStatus.Failed, null);
        }

        return retry.DelayAfter(webhook.AttemptCount + 1, result.RetryAfter) is { } delay
            ? new AttemptWriteback(webhook, result, DeliveryStatus.Pending, result.At + result.Duration + delay)
            : new AttemptWriteback(webhook, result, DeliveryStatus.Failed, null);
    }
}
