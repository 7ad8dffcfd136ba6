namespace Poe.WebhookBridge.Delivery;

/// <summary>An outbox row: a webhook written in the same transaction as the state it reports, then delivered.</summary>
public sealed class WebhookEvent
{
    public required string Id { get; init; }

    public required string WatchId { get; init; }

    public required string ClientName { get; init; }

    public required string Type { get; init; }

    /// <summary>The exact JSON body sent (and signed) on every attempt.</summary>
    public required string Payload { get; set; }

    public required string CallbackUrl { get; init; }

    /// <summary>The callback's host, so a saturated host's events can be skipped when claiming.</summary>
    public required string CallbackHost { get; init; }

    /// <summary>The callback's origin (<c>scheme://host:port</c>): the endpoint whose health this event's attempts count towards.</summary>
    public required string CallbackOrigin { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string Status { get; set; } = DeliveryStatus.Pending;

    public int AttemptCount { get; set; }

    /// <summary>When the next attempt is due; also the claim lease while an attempt is in flight.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public List<DeliveryAttempt> Attempts { get; init; } = [];
}
