using Poe.WebhookBridge.Infrastructure.Time;

namespace Poe.WebhookBridge.Delivery;

public sealed record EventResponse(string Id, string Object, string Type, long CreatedAt, EventDelivery Delivery)
{
    public static EventResponse From(WebhookEvent e) => new(
        e.Id,
        "event",
        e.Type,
        UnixTime.Seconds(e.CreatedAt),
        new EventDelivery(
            e.Status,
            [.. e.Attempts.OrderBy(a => a.At).ThenBy(a => a.Id).Select(a => new AttemptResponse(UnixTime.Seconds(a.At), a.StatusCode, a.DurationMs, a.Error))],
            e.Status == DeliveryStatus.Pending ? UnixTime.Seconds(e.NextAttemptAt) : null));
}

public sealed record EventDelivery(string Status, IReadOnlyList<AttemptResponse> Attempts, long? NextAttemptAt);

public sealed record AttemptResponse(long At, int? StatusCode, int DurationMs, string? Error);

public sealed record EventList(string Object, IReadOnlyList<EventResponse> Data, bool HasMore);
