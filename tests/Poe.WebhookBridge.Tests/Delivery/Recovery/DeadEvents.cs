using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Delivery.Recovery;

/// <summary>Dead events as a consumer down for days leaves them: the app's own events, past their whole schedule.</summary>
internal static class DeadEvents
{
    /// <summary>Stores <paramref name="count"/> dead events of the watch, created a millisecond apart from <paramref name="createdFrom"/>.</summary>
    public static Task<List<string>> SeedAsync(BridgeFactory bridge, string watchId, int count, DateTimeOffset createdFrom) =>
        bridge.Database.QueryAsync(async db =>
        {
            var watch = await db.Watches.SingleAsync(w => w.Id == watchId);
            var ids = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var webhook = WebhookEvents.Create(watch, "video.completed", createdFrom.AddMilliseconds(i), videoJson: null);
                webhook.Status = DeliveryStatus.Failed;
                webhook.NextAttemptAt = null;
                webhook.AttemptCount = DeliveryBridge.ScheduleLength + 1;
                db.WebhookEvents.Add(webhook);
                ids.Add(webhook.Id);
            }

            await db.SaveChangesAsync();
            return ids;
        });

    /// <summary>Every event's id and delivery state, in id order: what a rejected request must leave as it was.</summary>
    public static Task<string> StatesAsync(BridgeFactory bridge) =>
        bridge.Database.QueryAsync(async db => string.Join('\n',
            await db.WebhookEvents.OrderBy(e => e.Id).Select(e => e.Id + " " + e.Status + " " + e.NextAttemptAt).ToListAsync()));
}
