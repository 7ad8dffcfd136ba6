namespace Poe.WebhookBridge.Delivery;

/// <summary>An event leased to this process for one attempt: <see cref="Lease"/> is the next_attempt_at it holds.</summary>
public sealed record ClaimedEvent(
    string Id,
    string WatchId,
    string ClientName,
    string Payload,
    string CallbackUrl,
    string CallbackHost,
    DateTimeOffset CreatedAt,
    int AttemptCount,
    DateTimeOffset Lease);
