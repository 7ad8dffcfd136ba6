using Poe.WebhookBridge.Infrastructure.Time;
using Poe.WebhookBridge.Operations.OpenApi;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery;

public sealed record EventResponse(string Id, string Object, [property: AllowedValuesFrom(typeof(WatchEventTypes))] string Type, long CreatedAt, EventDelivery Delivery)
    : IDocumentedExample<EventResponse>
{
    public static EventResponse Example => new(
        "evt_2b7n4m8q1w5e9r3t6y0u2i4o", "event", WatchEventTypes.VideoCompleted, 1764440120,
        new EventDelivery(DeliveryStatus.Delivered, [new AttemptResponse(1764440120, 503, 212, "HTTP 503"), new AttemptResponse(1764440126, 204, 48, null)], null));

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
