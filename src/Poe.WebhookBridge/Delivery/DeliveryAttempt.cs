namespace Poe.WebhookBridge.Delivery;

public sealed class DeliveryAttempt
{
    public long Id { get; init; }

    public required string EventId { get; init; }

    public DateTimeOffset At { get; init; }

    public int? StatusCode { get; init; }

    public int DurationMs { get; init; }

    public string? Error { get; init; }

    /// <summary>The event's client and callback origin, copied at insert so an endpoint's recent attempts are found by index.</summary>
    public string? ClientName { get; init; }

    public string? CallbackOrigin { get; init; }
}
