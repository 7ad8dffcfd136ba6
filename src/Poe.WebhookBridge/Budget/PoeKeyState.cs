namespace Poe.WebhookBridge.Budget;

/// <summary>Shared state of one Poe key across instances: when it may be used again and whether Poe rejects it.</summary>
public sealed class PoeKeyState
{
    public required string Id { get; init; }

    /// <summary>No request is sent with this key before this time (429, exhausted budget, rejected key).</summary>
    public DateTimeOffset HoldUntil { get; set; }

    /// <summary>The current 429 back-off when Poe gives no hint, doubled on each 429 and reset on success.</summary>
    public double BackoffSeconds { get; set; }

    /// <summary>
    /// The end of the pause set by the key's last 429 that started a pause: a 429 to a request sent before then answers
    /// a request that was already out when that pause began, so it is the same episode and does not lengthen it.
    /// </summary>
    public DateTimeOffset RateLimitedUntil { get; set; }

    public DateTimeOffset? UnauthorizedSince { get; set; }

    /// <summary>The key's theoretical arrival time for <see cref="RatePacer"/>: requests are spread evenly over the minute.</summary>
    public DateTimeOffset PacedUntil { get; set; }
}
