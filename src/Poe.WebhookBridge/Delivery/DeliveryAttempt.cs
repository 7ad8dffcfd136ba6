namespace Poe.WebhookBridge.Delivery;

public sealed class DeliveryAttempt
{
    public long Id { get; init; }

    public required string EventId { get; init; }

    public DateTimeOffset At { get; init; }

    public int? StatusCode { get; init; }

    public int DurationMs { get; init; }

    public string? Error { get; init; }
}
