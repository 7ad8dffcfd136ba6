namespace Poe.WebhookBridge.Delivery.Recovery;

/// <summary>
/// A client's request to have its dead events of a time range delivered again, worked through by
/// <see cref="RecoveryJob"/> in creation order; <see cref="CursorCreatedAt"/>/<see cref="CursorEventId"/> mark how far.
/// </summary>
public sealed class Recovery
{
    public required string Id { get; init; }

    public required string ClientName { get; init; }

    public DateTimeOffset Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public string? EndpointId { get; init; }

    /// <summary>The endpoint's origin, resolved once when the recovery is asked for.</summary>
    public string? EndpointUrl { get; init; }

    public string Status { get; set; } = RecoveryStatus.Running;

    /// <summary>Dead events in the range when the recovery was asked for.</summary>
    public int Matched { get; init; }

    /// <summary>Events handed back to delivery so far.</summary>
    public int Queued { get; set; }

    public DateTimeOffset? CursorCreatedAt { get; set; }

    public string? CursorEventId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; set; }
}
