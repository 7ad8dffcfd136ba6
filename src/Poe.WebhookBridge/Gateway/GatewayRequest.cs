namespace Poe.WebhookBridge.Gateway;

/// <summary>
/// A create, remix or extend sent with an <c>Idempotency-Key</c>: recorded <see cref="GatewayRequestState.InFlight"/>
/// before Poe is called, so at most one Poe video is ever made per key, and <see cref="GatewayRequestState.Done"/> with
/// the answer the caller got, which repeats replay.
/// </summary>
public sealed class GatewayRequest
{
    public required string ClientName { get; init; }

    public required string Key { get; init; }

    /// <summary>Hash of the operation, the source video and the exact body: the same key with another request is 422.</summary>
    public required string RequestHash { get; init; }

    public required string Operation { get; init; }

    public required string State { get; set; }

    /// <summary>Which request holds the key while it is in flight; only it may write the outcome or give the key back.</summary>
    public required string Owner { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>
    /// When an in-flight request can no longer be running (the longest wait for a rate slot, plus Poe:Timeout, plus a
    /// margin): if it is still in flight then, its instance died and whether Poe made the video cannot be known.
    /// </summary>
    public DateTimeOffset UnknownAfter { get; init; }

    public int? StatusCode { get; set; }

    public string? ResponseBody { get; set; }

    public string? Location { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}
