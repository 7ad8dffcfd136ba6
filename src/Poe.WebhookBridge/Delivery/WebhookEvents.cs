using Poe.WebhookBridge.Infrastructure;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery;

internal static class WebhookEvents
{
    /// <summary>A pending outbox row for a watch, due at once. Add it in the transaction that stores the state it reports.</summary>
    public static WebhookEvent Create(Watch watch, string type, DateTimeOffset now, string? videoJson, WatchFailure? failure = null)
    {
        var id = Ids.NewEventId();
        return new WebhookEvent
        {
            Id = id,
            WatchId = watch.Id,
            ClientName = watch.ClientName,
            Type = type,
            Payload = WebhookPayload.Build(id, type, now, watch, videoJson, failure),
            CallbackUrl = watch.CallbackUrl,
            CallbackHost = new Uri(watch.CallbackUrl).Host,
            CallbackOrigin = Endpoints.EndpointOrigin.Of(watch.CallbackUrl),
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }
}
